"""The `signupsheet` MkDocs plugin: hands the generated pages and files to MkDocs.

Everything it adds comes from `generation`; this module only loads the events, turns problems into a
failed build, registers virtual files, and puts each page's HTML blocks in place: the indexed
ones once Markdown made the page (`on_page_content`, before the search plugin reads it), the
others and the sign-up sheets after (`on_post_page`). For a large site a second process loads
about half of the events and makes their pages, then the calendars and feeds (`background`);
it hands the calendars and feeds over before MkDocs copies the non-page files (`on_env`).
"""

from __future__ import annotations

import gc
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from signupsheet.core.errors import UserError, format_problems
from signupsheet.core.model import Event
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import event_files, load_catalog, misnamed_files, sort_events
from signupsheet.site.config import SignupsheetConfig
from signupsheet.site.feeds import feed_link
from signupsheet.site.generation import (
    SCRIPTS,
    STYLESHEET,
    SiteFile,
    SiteOptions,
    SitePart,
    data_files,
    data_paths,
    default_home,
    list_section,
    page_files,
    series_of_page,
    site_part,
    with_section,
)
from signupsheet.site.links import Repository
from signupsheet.site.pages import LINKED_PAGES, PageSource, SiteContext
from signupsheet.site.seal_form import public_contact_key
from signupsheet.site.second_process import SecondProcess, usable_cpus
from signupsheet.site.urls import PublishedSite, href

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class SignupsheetPlugin(BasePlugin[SignupsheetConfig]):
    def __init__(self) -> None:
        self.context: SiteContext | None = None
        self.project: Project | None = None
        # Page path -> its generated HTML blocks, filled in once Markdown made the page's HTML.
        self.sources: dict[str, PageSource] = {}
        # Page path -> the generated section under a hand-written page (home, series).
        self.sections: dict[str, PageSource] = {}
        self.options: SiteOptions | None = None
        # Loads half of a large site's events, then makes the calendars and feeds while MkDocs
        # renders the pages.
        self.background: SecondProcess | None = None
        self.pending: dict[str, File] = {}
        # The feed's autodiscovery link, put into the head of every page.
        self.site_name = ""
        self.published = PublishedSite("")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if not config.repo_url:
            raise PluginError("signupsheet: set repo_url in mkdocs.yml to the GitHub repository")
        if not config.site_url:
            raise PluginError("signupsheet: set site_url in mkdocs.yml (calendars need it)")
        config_dir = Path(config.config_file_path).resolve().parent
        root = config_dir / self.config.root if self.config.root else config_dir
        self.project = Project(root)
        config.extra_css.append(STYLESHEET)
        config.extra_javascript.extend(SCRIPTS)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        # A problem raises PluginError; MkDocs then calls on_build_error, which stops the second
        # process (mkdocs/commands/build.py calls it for any exception during the build).
        if not self.config.enabled or self.project is None:
            return None
        self._add_files(self.project, files, config)
        # Nothing keeps the events now (`_add_files` returned): if the second process dies before
        # it made the data files, on_env loads them again. The pages live until the end of the
        # build: spare the garbage collector from scanning them again and again while MkDocs
        # renders them.
        gc.freeze()
        return files

    def _add_files(self, project: Project, files: Files, config: MkDocsConfig) -> None:
        """Load the events, check them against the hand-written files, and add the pages and
        data files; the calendars and feeds of a large site come later, from the second process."""
        self.context = self._site_context(project, config)
        self.options = self.config.site_options(config.site_url or "", config.site_name)
        self.site_name = config.site_name
        self.published = PublishedSite(config.site_url or "", config.use_directory_urls)
        events, made = self._events_and_pages(project, self.context, self.options)
        self._check_linked_pages(files, events)
        generated: dict[str, SiteFile] = page_files(events, self.context, made)
        if self.background is None:
            generated.update(data_files(events, self.context, self.options))
        if files.get_file_from_path("index.md") is None:
            generated["index.md"] = default_home(config.site_name)
        later = [] if self.background is None else data_paths(events)
        self._check_no_clash(files, [*generated, *later])
        series_ids = sorted(
            series_id for file in files if (series_id := series_of_page(file.src_uri)) is not None
        )
        self.sources = {}
        for src_uri, content in generated.items():
            if isinstance(content, PageSource):
                self.sources[src_uri] = content
                content = content.markdown
            files.append(File.generated(config, src_uri, content=content))
        # After the generated pages, among them a default home page, which gets a section too.
        self.sections = self._sections(files, events, self.context, series_ids)
        # Filled in by on_env, when the second process hands its files over.
        self.pending = {uri: File.generated(config, uri, content=b"") for uri in later}
        for file in self.pending.values():
            files.append(file)

    def _site_context(self, project: Project, config: MkDocsConfig) -> SiteContext:
        try:
            repository = Repository.from_url(config.repo_url or "", self.config.branch)
        except UserError as error:
            raise PluginError(str(error)) from None
        return SiteContext(
            repository=repository,
            now=self.config.now or datetime.now(UTC),
            docs_dir=Path(config.docs_dir),
            events_path=project.display(project.events_dir),
            directory_urls=config.use_directory_urls,
            contact_key=public_contact_key(project),
        )

    def _events_and_pages(
        self, project: Project, ctx: SiteContext, options: SiteOptions
    ) -> tuple[list[Event], dict[str, PageSource]]:
        """Every event, soonest first, and the event pages made from them; the build fails on
        the first invalid or misnamed event file."""
        # One left over from a build that ended other than by an exception (Ctrl+C in `mkdocs
        # serve`), which calls neither on_post_build nor on_build_error.
        self._close_background()
        parts = self._load(project, ctx, options)
        problems = misnamed_files(project) + [p for part in parts for p in part.problems]
        if problems:
            raise PluginError(format_problems(problems))
        if self.background is not None:
            self.background.make_files(parts[0].data)
        events = [event for part in parts for event in part.events]
        sort_events(events)
        return events, {path: page for part in parts for path, page in part.pages.items()}

    @staticmethod
    def _check_linked_pages(files: Files, events: list[Event]) -> None:
        missing = [page for page in LINKED_PAGES if files.get_file_from_path(page) is None]
        if events and missing:
            raise PluginError(
                f"signupsheet: event pages link to docs/{missing[0]}, which does not exist; "
                "write it (how to register, what becomes public)"
            )

    @staticmethod
    def _check_no_clash(files: Files, generated: list[str]) -> None:
        for src_uri in generated:
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(
                    f"signupsheet: docs/{src_uri} would be replaced by a generated file; "
                    "rename or remove it"
                )

    @staticmethod
    def _sections(
        files: Files, events: list[Event], ctx: SiteContext, series_ids: list[str]
    ) -> dict[str, PageSource]:
        """The generated parts of hand-written pages, put under them by on_page_markdown."""
        sections = {}
        for file in files.documentation_pages():
            section = list_section(file.src_uri, events, ctx, series_ids)
            if section is not None:
                sections[file.src_uri] = section
        return sections

    def _load(self, project: Project, ctx: SiteContext, options: SiteOptions) -> list[SitePart]:
        """The events and event pages, made here or, for a large site, about half in a second
        process, which then goes on to make the data files."""
        paths = event_files(project)
        threshold = self.config.background_from
        if not 0 < threshold <= len(paths) or usable_cpus() < 2:
            return [site_part(project, paths, ctx)]
        log.info("signupsheet: a second process loads about half of the events, then the calendars")
        # A little less than half: it also starts up and hands its half over.
        mine, theirs = paths[: len(paths) * 11 // 20], paths[len(paths) * 11 // 20 :]
        self.background = SecondProcess(project.root, ctx, options, theirs)
        parts = [site_part(project, mine, ctx, keep_data=True)]
        their_part = self.background.loaded()
        if their_part is None:
            # It died (e.g. killed for memory): the build does all of its work itself.
            self._close_background()
            their_part = site_part(project, theirs, ctx)
        return [*parts, their_part]

    def on_env(
        self, env: Environment, /, *, config: MkDocsConfig, files: Files
    ) -> Environment | None:
        # MkDocs copies the non-page files next: the second process must be done by now.
        background = self.background
        if background is None or self.context is None or self.options is None:
            return None
        made = background.files(list(self.pending))
        self._close_background()
        if made is None:
            # It died after it made its pages (e.g. killed for memory), or made other files than
            # expected: load the events again and make the files here.
            log.info("signupsheet: making the calendars and feeds here instead")
            assert self.project is not None  # set by on_config, as the background is
            catalog = load_catalog(self.project)
            if catalog.problems:
                raise PluginError(format_problems(catalog.problems))
            made = data_files(catalog.events, self.context, self.options)
        for uri, content in made.items():
            self.pending[uri].content_bytes = (
                content.encode("utf-8") if isinstance(content, str) else content
            )
        self.pending = {}
        return None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()
        self._close_background()

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()
        self._close_background()

    def _close_background(self) -> None:
        if self.background is not None:
            self.background.close()
            self.background = None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        section = self.sections.pop(page.file.src_uri, None)
        if section is None:
            return None
        source = with_section(markdown, section)
        self.sources[page.file.src_uri] = source
        return source.markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # Before the search plugin reads the page: facts and lists are indexed.
        source = self.sources.get(page.file.src_uri)
        return None if source is None else source.fill(html)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # Runs after the search plugin read the page: notices, states and sheets stay out of the
        # search index.
        if not self.config.enabled:
            return None
        # Relative: Material fetches `sitemap.xml` beside every `link[rel=alternate]`, so an
        # absolute address would make each page, previews included, call the published site.
        relative = href(page.file.src_uri, "feed.xml", config.use_directory_urls)
        output = _without_source_facts(self._with_feed_link(output, relative))
        source = self.sources.pop(page.file.src_uri, None)
        return output if source is None else source.fill_late(output)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # 404.html is a theme template, not a page.
        if not self.config.enabled or not template_name.endswith(".html"):
            return None
        # Served at any depth, so only a full address works; Material's 404 page is absolute too.
        return _without_source_facts(
            self._with_feed_link(output_content, self.published.page("feed.xml"))
        )

    def _with_feed_link(self, html: str, feed: str) -> str:
        # In the plugin rather than a theme override (Material's `extrahead` block): the site
        # keeps no custom_dir, and a site that adds one keeps its own main.html.
        link = feed_link(feed, self.site_name)
        return html.replace("</head>", f"{link}</head>", 1)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled and self.project is not None:
            # Event files live outside docs/, so MkDocs would not rebuild when one changes.
            server.watch(str(self.project.events_dir))
            server.watch(str(self.project.schema_path))
        return server


# Material's repository link (in the header, and in the navigation drawer on narrow screens);
# marked as a component, its script asks GitHub's API for the stars, forks and latest release on
# every first visit, a request to a third party.
_SOURCE_COMPONENT = 'class="md-source" data-md-component="source"'


def _without_source_facts(html: str) -> str:
    """The page with the repository link as a plain link: no script asks GitHub for its facts."""
    return html.replace(_SOURCE_COMPONENT, 'class="md-source"')
