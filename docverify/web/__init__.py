"""The reviewer web app: queue, application pages, decisions, dashboard and intake API.

`create_app(settings)` (in `docverify.web.app`) builds the FastAPI application; the
`serve`, `users` and `tokens` commands live in `docverify.web.cli`.
"""
