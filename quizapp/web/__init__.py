"""quizapp in the browser: textual-serve behind HTTP Basic auth, one SQLite file per learner.

`auth` is pure (no aiohttp), `server` holds the aiohttp/textual-serve glue. Both are only
imported by `quizapp serve`, so the TUI and the rest of the CLI never load aiohttp.
"""
