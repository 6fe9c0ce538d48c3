"""The atlas page (``atlas.html`` at the site root, both editions): the tile map of the COROP
regions, each tile a link to that region's report with the region's short name on it, and the same
links as a list."""

from __future__ import annotations

from datetime import UTC, datetime

from analysis import __version__, paths
from analysis.i18n import render
from analysis.report import league_charts
from analysis.report.parameters import DEFAULT_REGION, BuildParameters
from analysis.site import render as site_render

TILE = league_charts.Tile("#dbe6f5", "#1d4f7a")


def write(every: list[BuildParameters], lang: str, registry_hash: str) -> None:
    from analysis.site.build import read_manifest, region_folder
    from analysis.site.swap import EDITION_DIRS

    root = paths.reports_dir()
    edition = EDITION_DIRS[lang]
    up = "../" if edition else ""
    names = {p.region: p.region_name.removesuffix(" (CR)") for p in every}
    links = {p.region: f"{up}{region_folder(p)}{edition + '/' if edition else ''}index.html" for p in every}
    shorts = league_charts.tile_names()
    tiles = {code: league_charts.Tile(TILE.fill, TILE.stroke, symbol=shorts.get(code, ""), symbol_colour=TILE.stroke,
                                      label=render("atlas.tile", lang, region=name))
             for code, name in names.items()}
    tile_map = league_charts.tile_map(tiles, title=render("atlas.map_title", lang), legend=[], highlight={},
                                      marked_label="", links=links, size=40)
    context = site_render.SiteContext(
        parameters=BuildParameters(DEFAULT_REGION, ""), built_at=datetime.now(UTC).replace(second=0, microsecond=0),
        manifest=read_manifest(), code_version=__version__, registry_hash=registry_hash)
    regions = [{"name": names[code], "href": links[code]} for code in sorted(names, key=names.get)]
    target = root / edition / site_render.ATLAS_PAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(site_render.render_atlas(context, lang, tile_map, regions), encoding="utf-8")
    temporary.replace(target)
