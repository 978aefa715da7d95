"""What each level of the log viewer shows: columns, fetch, cells, detail, export, copy."""
