"""`factcheck serve`: the check as an HTTP service, for a newsroom's publishing system and its editors.

    POST /v1/check   an article → the `--format json` report and "pass" (the pre-publication gate)
    POST /v1/index   an article → the claim archive (with --archive and --allow-index)
    GET  /healthz    liveness and what the server runs
    GET  /openapi.json
    GET  /           the editors' page: paste an article, see every figure checked

Modules:
- settings.py: the server's settings, handed from the command line to the application uvicorn loads.
- inputs.py: a request's body (JSON, a form, plain text or Markdown) → a validated article and options.
- engine.py: the check of one article, the same stages as `factcheck check FILE --format json`, with
  the rules and the lexicon loaded once.
- checker.py: the checking processes (--workers), forked from the server and fed in arrival order; one
  is killed and replaced when a check runs past the time limit (a check cannot be interrupted inside
  the process that runs it).
- app.py: the Starlette application: routes, limits, the bearer token, JSON errors.
- openapi.py: the API's description (its report schema is `factcheck schema`'s, plus "pass").
- static/: the editors' page (HTML, CSS and JavaScript, no build step, nothing fetched from elsewhere).
"""
