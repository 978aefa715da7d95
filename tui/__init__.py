"""The console: Textual screens and widgets. Reaches data only through core.console_api."""
