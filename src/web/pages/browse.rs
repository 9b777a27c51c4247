//! Browsing by group: `/sections`, `/sources` and `/tags` list the groups
//! with counts; `/sections/{slug}`, `/sources/{slug}` and `/tags/{slug}`
//! list a group's articles newest first, paginated like the index. The
//! date archive's lists ([`super::archive`]) are pages of the same kind.

use axum::extract::{Path, State};
use std::sync::Arc;

use super::archive::{month_label, no_such_period};
use super::{PageNumber, no_such_page};
use crate::article::Article;
use crate::library::media::MediaIndex;
use crate::library::{Group, Library, ListKey, page_count, paginate};
use crate::web::error::AppError;
use crate::web::feeds::{FeedLink, FeedScope};
use crate::web::views::{
    ArticleLink, CountedLink, GroupsView, Html, ListView, PaginationView, SummaryView, count_label,
};
use crate::web::{AppState, CurrentSite, PER_PAGE, Site, urls};

/// Groups per page on `/sections`, `/sources` and `/tags`.
const GROUPS_PER_PAGE: usize = 100;

/// `GET /sections`.
pub(crate) async fn list_sections(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    PageNumber(page): PageNumber,
) -> Result<Html<GroupsView>, AppError> {
    groups_view(&site, state.library.load().sections().all(), GroupKind::Sections, page).map(Html)
}

/// `GET /sources`.
pub(crate) async fn list_sources(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    PageNumber(page): PageNumber,
) -> Result<Html<GroupsView>, AppError> {
    groups_view(&site, state.library.load().sources().all(), GroupKind::Sources, page).map(Html)
}

/// `GET /tags`.
pub(crate) async fn list_tags(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    PageNumber(page): PageNumber,
) -> Result<Html<GroupsView>, AppError> {
    groups_view(&site, state.library.load().tags().all(), GroupKind::Tags, page).map(Html)
}

/// `GET /sections/{slug}`.
pub(crate) async fn show_section(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(slug): Path<String>,
    PageNumber(page): PageNumber,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Section(slug), page)
}

/// `GET /sources/{slug}`.
pub(crate) async fn show_source(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(slug): Path<String>,
    PageNumber(page): PageNumber,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Source(slug), page)
}

/// `GET /tags/{slug}`.
pub(crate) async fn show_tag(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(slug): Path<String>,
    PageNumber(page): PageNumber,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Tag(slug), page)
}

#[derive(Clone, Copy)]
enum GroupKind {
    Sections,
    Sources,
    Tags,
}

fn groups_view(site: &Arc<Site>, groups: &[Group], kind: GroupKind, page: usize) -> Result<GroupsView, AppError> {
    let on_page = paginate(groups, page, GROUPS_PER_PAGE).ok_or_else(|| no_such_page(page))?;
    let (heading, area, empty_message, route, key): (_, _, _, _, fn(String) -> ListKey) = match kind {
        GroupKind::Sections => {
            ("Sections", "sections", "No article names a section yet.", urls::SECTIONS, ListKey::Section)
        }
        GroupKind::Sources => ("Sources", "sources", "No article names a source yet.", urls::SOURCES, ListKey::Source),
        GroupKind::Tags => ("Tags", "tags", "No article has a tag yet.", urls::TAGS, ListKey::Tag),
    };
    let links = on_page.iter().map(|group| counted(site, &key(group.slug.clone()), group.name.clone(), group.len()));
    let pages = page_count(groups.len(), GROUPS_PER_PAGE);
    Ok(GroupsView {
        page_title: page_title(site, heading, page),
        heading,
        area,
        groups: links.collect(),
        empty_message,
        pagination: PaginationView::new(&route.url(site, &[]), page, pages).neutral(),
        site: site.clone(),
    })
}

/// The page of articles in the list `key`.
pub(super) fn list_page(
    state: &AppState,
    site: &Arc<Site>,
    key: &ListKey,
    page: usize,
) -> Result<Html<ListView>, AppError> {
    let library = state.library.load();
    let list = library.list(key).ok_or_else(|| no_such_list(key))?;
    let articles = list.page(page, PER_PAGE).ok_or_else(|| no_such_page(page))?;
    let heading = list_heading(&library, key).ok_or_else(|| no_such_list(key))?;
    let view = ListView {
        page_title: page_title(site, &heading, page),
        area: area_of(key),
        parent: parent_link(site, key),
        count: count_label(list.len()),
        periods: sub_periods(site, &library, key),
        search_url: urls::search_within(site, key),
        articles: articles.iter().map(|article| list_entry(site, article, key, library.media())).collect(),
        pagination: PaginationView::new(&urls::list(site, key), page, list.page_count(PER_PAGE)),
        feed: FeedScope::list(site, key, &heading).map(|scope| FeedLink::new(site, &scope)),
        heading,
        site: site.clone(),
    };
    Ok(Html(view))
}

/// One entry of the list `key`. A section's page does not repeat the section
/// on every entry, nor a source's page the source: the heading says it once.
fn list_entry(site: &Site, article: &Article, key: &ListKey, media: &MediaIndex) -> SummaryView {
    let mut entry = SummaryView { url: urls::article_in(site, article, key), ..SummaryView::new(site, article, media) };
    match key {
        ListKey::Section(_) => entry.section = None,
        ListKey::Source(_) => entry.source = None,
        _ => {}
    }
    entry
}

/// The heading of the list `key` (`World News`, `November 2024`); `None`
/// when the library has no such list.
pub(crate) fn list_heading(library: &Library, key: &ListKey) -> Option<String> {
    Some(match key {
        ListKey::All => "Latest articles".to_owned(),
        ListKey::Section(slug) => library.sections().find_by_slug(slug)?.name.clone(),
        ListKey::Source(slug) => library.sources().find_by_slug(slug)?.name.clone(),
        ListKey::Tag(slug) => library.tags().find_by_slug(slug)?.name.clone(),
        ListKey::Year(year) => format!("{year}"),
        ListKey::Month(year, month) => month_label(*year, *month),
        ListKey::Undated => "Undated articles".to_owned(),
    })
}

/// Which navigation link is current on the page of `key`.
fn area_of(key: &ListKey) -> &'static str {
    match key {
        ListKey::Section(_) => "sections",
        ListKey::Source(_) => "sources",
        ListKey::Tag(_) => "tags",
        _ => "archive",
    }
}

fn parent_link(site: &Site, key: &ListKey) -> ArticleLink {
    let (url, title) = match key {
        ListKey::Section(_) => (urls::SECTIONS.url(site, &[]), "Sections".to_owned()),
        ListKey::Source(_) => (urls::SOURCES.url(site, &[]), "Sources".to_owned()),
        ListKey::Tag(_) => (urls::TAGS.url(site, &[]), "Tags".to_owned()),
        ListKey::Month(year, _) => (urls::list(site, &ListKey::Year(*year)), year.to_string()),
        ListKey::All | ListKey::Year(_) | ListKey::Undated => (urls::ARCHIVE.url(site, &[]), "Archive".to_owned()),
    };
    ArticleLink { url, title }
}

/// The months of a year, for the year page.
fn sub_periods(site: &Site, library: &Library, key: &ListKey) -> Vec<CountedLink> {
    let ListKey::Year(year) = key else { return Vec::new() };
    let Some(year) = library.archive().find_year(*year) else { return Vec::new() };
    let months = year.months.iter();
    months
        .map(|month| {
            counted(site, &ListKey::Month(year.year, month.month), month_label(year.year, month.month), month.len())
        })
        .collect()
}

/// A link to the list `key` with its count.
pub(super) fn counted(site: &Site, key: &ListKey, label: String, count: usize) -> CountedLink {
    CountedLink { url: urls::list(site, key), label, count: count_label(count) }
}

fn page_title(site: &Site, heading: &str, page: usize) -> String {
    if page == 1 {
        format!("{heading} – {}", site.title)
    } else {
        format!("{heading}, page {page} – {}", site.title)
    }
}

/// The 404 for a section, source, tag or period the library does not have.
pub(crate) fn no_such_list(key: &ListKey) -> AppError {
    let what = match key {
        ListKey::Section(slug) => format!("There is no section “{slug}”. See the list of sections."),
        ListKey::Source(slug) => format!("There is no source “{slug}”. See the list of sources."),
        ListKey::Tag(slug) => format!("There is no tag “{slug}”. See the list of tags."),
        _ => return no_such_period(),
    };
    AppError::NotFound(what)
}
