"""Airflow UI plugin: a "newsflow" page in the Browse menu showing what the warehouse holds.

The page is served by a small FastAPI app inside the Airflow API server and embedded in the UI
as an external view. It reads DuckDB through the same read-only path analysts use, so it never
blocks the load task.
"""

from __future__ import annotations

import html

from airflow.plugins_manager import AirflowPlugin
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI(title="newsflow warehouse", docs_url=None, redoc_url=None)

STYLE = (
    "body{font-family:sans-serif;margin:1.5rem}table{border-collapse:collapse;margin-bottom:1rem}"
    "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
)
SECTIONS = {
    "Recent runs": "SELECT run_id, status, started_at, finished_at, articles_new, "
    "articles_changed, entities_loaded, quotes_loaded, rejects "
    "FROM pipeline_runs ORDER BY started_at DESC NULLS LAST LIMIT 10",
    "Quarantine by stage and reason": "SELECT stage, reason, count(*) AS articles "
    "FROM rejected_articles GROUP BY ALL ORDER BY articles DESC",
    "Most quoted speakers": "SELECT speaker, speaker_country, count(*) AS quotes FROM quotes "
    "WHERE speaker IS NOT NULL GROUP BY ALL ORDER BY quotes DESC LIMIT 15",
    "Latest articles": "SELECT published_at, outlet, title FROM articles "
    "ORDER BY published_at DESC NULLS LAST LIMIT 15",
}


def _cell(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(columns: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_page() -> str:
    """The whole page as HTML; an unreadable warehouse is shown as a message, not a 500."""
    from newsflow.settings import Settings
    from newsflow.warehouse.read import connect_readonly, summary

    settings = Settings.from_env()
    parts = [f"<h1>newsflow warehouse</h1><p>{html.escape(str(settings.db_path))}</p>"]
    try:
        counts = summary(settings)
        parts.append("<h2>Tables</h2>" + _table(["table", "rows"], list(counts.items())))
        with connect_readonly(settings) as conn:
            for title, sql in SECTIONS.items():
                try:
                    cursor = conn.execute(sql)
                    columns = [d[0] for d in cursor.description]
                    parts.append(f"<h2>{title}</h2>" + _table(columns, cursor.fetchall()))
                except Exception as error:  # a missing column must not hide the other sections
                    parts.append(f"<h2>{title}</h2><p>unavailable: {html.escape(str(error))}</p>")
    except Exception as error:
        parts.append(f"<p>The warehouse is not readable yet: {html.escape(str(error))}</p>")
    head = f"<meta charset='utf-8'><title>newsflow</title><style>{STYLE}</style>"
    return f"<!doctype html><html><head>{head}</head><body>{''.join(parts)}</body></html>"


@app.get("/", response_class=HTMLResponse)
def warehouse_page() -> str:
    return render_page()


class NewsflowPlugin(AirflowPlugin):
    name = "newsflow"
    fastapi_apps = [{"app": app, "url_prefix": "/newsflow", "name": "newsflow warehouse"}]
    external_views = [
        {
            "name": "newsflow warehouse",
            "href": "newsflow/",
            "destination": "nav",
            "category": "browse",
            "url_route": "newsflow",
        }
    ]
