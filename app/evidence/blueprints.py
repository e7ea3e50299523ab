"""The blueprints of the evidence domains (CSAT, evidence, open data, PDPA), for ``app._register_blueprints``."""


def api_blueprints() -> list:
    """JSON APIs: bearer tokens, no cookies trusted, so exempt from CSRF."""
    from app.csat.views import api as csat_api
    from app.evidence.views import bp as evidence_api
    from app.pdpa.views import bp as pdpa_api

    return [csat_api, evidence_api, pdpa_api]


def page_blueprints() -> list:
    """Pages (CSRF-protected forms) and the public open-data files."""
    from app.csat.views import pages as csat_pages
    from app.evidence.opendata_views import bp as opendata
    from app.evidence.pages import bp as evidence_pages

    return [csat_pages, evidence_pages, opendata]


def register_cli(app) -> None:
    from app.cli import audit
    from app.evidence.cli import check_export_cmd, export_cli, opendata_cli
    from app.pdpa.cli import pdpa_cli

    for group in (export_cli, opendata_cli, pdpa_cli):
        app.cli.add_command(group)
    audit.add_command(check_export_cmd)

