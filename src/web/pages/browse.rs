//! Browsing: sections, sources, and the date archive.
//!
//! `/sections` and `/sources` list the groups with counts; `/sections/{slug}`,
//! `/sources/{slug}`, `/archive/{yyyy}`, `/archive/{yyyy}/{mm}` and
//! `/archive/undated` list articles newest first, paginated like the index.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};

use super::article::article_url_in;
use super::{PageQuery, no_such_page};
use crate::article::Article;
use crate::library::{Group, Library, ListKey, page_count, paginate};
use crate::web::browse_views::{ArchiveView, CountedLink, GroupsView, ListView, YearView, count_label};
use crate::web::error::AppError;
use crate::web::feeds::{FeedLink, FeedScope};
use crate::web::views::{ArticleLink, Html, PaginationView, SummaryView};
use crate::web::{AppState, CurrentSite, PER_PAGE, Site};
use std::sync::Arc;

/// Groups per page on `/sections` and `/sources`.
const GROUPS_PER_PAGE: usize = 100;

/// `GET /sections`.
pub async fn list_sections(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<GroupsView>, AppError> {
    let page = PageQuery::from_request(query)?;
    let library = state.library.load();
    groups_view(&site, library.sections().all(), GroupKind::Sections, page).map(Html)
}

/// `GET /sources`.
pub async fn list_sources(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<GroupsView>, AppError> {
    let page = PageQuery::from_request(query)?;
    let library = state.library.load();
    groups_view(&site, library.sources().all(), GroupKind::Sources, page).map(Html)
}

/// `GET /sections/{slug}`.
pub async fn show_section(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(slug): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Section(slug), PageQuery::from_request(query)?)
}

/// `GET /sources/{slug}`.
pub async fn show_source(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(slug): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Source(slug), PageQuery::from_request(query)?)
}

/// `GET /archive/{yyyy}`.
pub async fn show_year(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(year): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    let key = format!("archive:{year}").parse().map_err(|_| no_such_period())?;
    list_page(&state, &site, &key, PageQuery::from_request(query)?)
}

/// `GET /archive/{yyyy}/{mm}`.
pub async fn show_month(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path((year, month)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    let key = format!("archive:{year}-{month}").parse().map_err(|_| no_such_period())?;
    list_page(&state, &site, &key, PageQuery::from_request(query)?)
}

/// `GET /archive/undated`.
pub async fn show_undated(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Undated, PageQuery::from_request(query)?)
}

/// `GET /archive`: years and months with counts.
pub async fn show_archive(State(state): State<AppState>, CurrentSite(site): CurrentSite) -> Html<ArchiveView> {
    let library = state.library.load();
    let years = library
        .archive()
        .years()
        .iter()
        .map(|year| YearView {
            link: counted(&site, &ListKey::Year(year.year), year.year.to_string(), year.len()),
            months: year
                .months
                .iter()
                .map(|month| {
                    let key = ListKey::Month(year.year, month.month);
                    counted(&site, &key, month_label(year.year, month.month), month.len())
                })
                .collect(),
        })
        .collect();
    let undated = library.archive().undated_len();
    let undated = (undated > 0).then(|| counted(&site, &ListKey::Undated, "Undated articles".to_owned(), undated));
    Html(ArchiveView { page_title: format!("Archive – {}", site.title), years, undated, site: site.clone() })
}

#[derive(Clone, Copy)]
enum GroupKind {
    Sections,
    Sources,
}

fn groups_view(site: &Arc<Site>, groups: &[Group], kind: GroupKind, page: usize) -> Result<GroupsView, AppError> {
    let on_page = paginate(groups, page, GROUPS_PER_PAGE).ok_or_else(|| no_such_page(page))?;
    let (heading, area, empty_message, key): (_, _, _, fn(String) -> ListKey) = match kind {
        GroupKind::Sections => ("Sections", "sections", "No article names a section yet.", ListKey::Section),
        GroupKind::Sources => ("Sources", "sources", "No article names a source yet.", ListKey::Source),
    };
    let links = on_page.iter().map(|group| counted(site, &key(group.slug.clone()), group.name.clone(), group.len()));
    let pages = page_count(groups.len(), GROUPS_PER_PAGE);
    Ok(GroupsView {
        page_title: page_title(site, heading, page),
        heading,
        area,
        groups: links.collect(),
        empty_message,
        pagination: PaginationView::new(&site.url(area), page, pages).neutral(),
        site: site.clone(),
    })
}

/// The page of articles in the list `key`.
fn list_page(state: &AppState, site: &Arc<Site>, key: &ListKey, page: usize) -> Result<Html<ListView>, AppError> {
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
        search_url: search_url(site, key),
        articles: articles.iter().map(|article| list_entry(site, article, key)).collect(),
        pagination: PaginationView::new(&list_url(site, key), page, list.page_count(PER_PAGE)),
        feed: FeedScope::list(site, key, &heading).map(|scope| FeedLink::new(site, &scope)),
        heading,
        site: site.clone(),
    };
    Ok(Html(view))
}

/// One entry of the list `key`. A section's page does not repeat the section
/// on every entry, nor a source's page the source: the heading says it once.
fn list_entry(site: &Site, article: &Article, key: &ListKey) -> SummaryView {
    let mut entry = SummaryView { url: article_url_in(site, article, key), ..SummaryView::new(site, article) };
    match key {
        ListKey::Section(_) => entry.section = None,
        ListKey::Source(_) => entry.source = None,
        _ => {}
    }
    entry
}

/// The URL of the list `key`.
pub fn list_url(site: &Site, key: &ListKey) -> String {
    use std::fmt::Write;
    // One allocation, sized up front: article pages build three of these.
    let mut url = String::with_capacity(site.base_path.len() + 32);
    url.push_str(&site.base_path);
    match key {
        ListKey::All => {}
        ListKey::Section(slug) => {
            url.push_str("sections/");
            url.push_str(slug);
        }
        ListKey::Source(slug) => {
            url.push_str("sources/");
            url.push_str(slug);
        }
        ListKey::Year(year) => {
            let _ = write!(url, "archive/{year:04}");
        }
        ListKey::Month(year, month) => {
            let _ = write!(url, "archive/{year:04}/{month:02}");
        }
        ListKey::Undated => url.push_str("archive/undated"),
    }
    url
}

/// The heading of the list `key` (`World News`, `November 2024`); `None`
/// when the library has no such list.
pub fn list_heading(library: &Library, key: &ListKey) -> Option<String> {
    Some(match key {
        ListKey::All => "Latest articles".to_owned(),
        ListKey::Section(slug) => library.sections().find_by_slug(slug)?.name.clone(),
        ListKey::Source(slug) => library.sources().find_by_slug(slug)?.name.clone(),
        ListKey::Year(year) => format!("{year}"),
        ListKey::Month(year, month) => month_label(*year, *month),
        ListKey::Undated => "Undated articles".to_owned(),
    })
}

/// `November 2024`.
pub fn month_label(year: i16, month: i8) -> String {
    match jiff::civil::Date::new(year, month, 1) {
        Ok(date) => date.strftime("%B %Y").to_string(),
        Err(_) => format!("{year:04}-{month:02}"),
    }
}

/// Which navigation link is current on the page of `key`.
fn area_of(key: &ListKey) -> &'static str {
    match key {
        ListKey::Section(_) => "sections",
        ListKey::Source(_) => "sources",
        _ => "archive",
    }
}

fn parent_link(site: &Site, key: &ListKey) -> ArticleLink {
    let (url, title) = match key {
        ListKey::Section(_) => (site.url("sections"), "Sections".to_owned()),
        ListKey::Source(_) => (site.url("sources"), "Sources".to_owned()),
        ListKey::Month(year, _) => (list_url(site, &ListKey::Year(*year)), year.to_string()),
        ListKey::All | ListKey::Year(_) | ListKey::Undated => (site.url("archive"), "Archive".to_owned()),
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

/// The search page with this list's filter set, where search has one.
fn search_url(site: &Site, key: &ListKey) -> Option<String> {
    let search = site.url("search");
    Some(match key {
        ListKey::Section(slug) => format!("{search}?section={slug}"),
        ListKey::Source(slug) => format!("{search}?source={slug}"),
        ListKey::Year(year) => format!("{search}?from={year:04}-01-01&to={year:04}-12-31"),
        ListKey::Month(year, month) => {
            let first = jiff::civil::Date::new(*year, *month, 1).ok()?;
            format!("{search}?from={first}&to={}", first.last_of_month())
        }
        ListKey::All | ListKey::Undated => return None,
    })
}

fn counted(site: &Site, key: &ListKey, label: String, count: usize) -> CountedLink {
    CountedLink { url: list_url(site, key), label, count: count_label(count) }
}

fn page_title(site: &Site, heading: &str, page: usize) -> String {
    if page == 1 {
        format!("{heading} – {}", site.title)
    } else {
        format!("{heading}, page {page} – {}", site.title)
    }
}

/// The 404 for a section, source or period the library does not have.
pub fn no_such_list(key: &ListKey) -> AppError {
    let what = match key {
        ListKey::Section(slug) => format!("There is no section “{slug}”. See the list of sections."),
        ListKey::Source(slug) => format!("There is no source “{slug}”. See the list of sources."),
        _ => return no_such_period(),
    };
    AppError::NotFound(what)
}

fn no_such_period() -> AppError {
    AppError::NotFound(
        "There are no articles from that period. See the archive for the periods that have some.".to_owned(),
    )
}
