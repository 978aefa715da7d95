"""`syncdeck serve`: the console in a browser, safe to expose.

The console runs as one process per browser tab, driven by textual-serve's protocol; this package
puts authentication, an Origin check, a session cap, an idle timeout and local-only assets in
front of it. Nothing here imports textual or the store: the console process does that.
"""
