//! Paging inferred per list operation from what the collection shows: its query parameters and
//! the fields of its saved success responses. An operation is paged only when both agree: a
//! paging parameter, the list of items in the response, and what tells the next page (a next
//! cursor, a page count or total, `has_more`). Where only one side shows, the operation stays
//! as it is and its docs say why.

use super::{Module, Operation, ParamIn, ResponseKind, SharedType, StructDef, Ty, TypeDef};

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// The scheme, with the request fields and response paths it uses.
    pub scheme: Scheme,
    /// The success variant whose body is a page.
    pub variant: String,
    /// The path from the body to the list of items (empty: the body is the list).
    pub items: Vec<Step>,
    /// The type of one item.
    pub item: Ty,
    /// What made it so, for the docs.
    pub evidence: String,
}

/// One field on the way through a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The struct field.
    pub ident: String,
    /// Its JSON key.
    pub key: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

impl Step {
    fn of(field: &super::Field) -> Self {
        Self {
            ident: field.ident.clone(),
            key: field.key.clone(),
            optional: matches!(field.ty, Ty::Option(_)),
        }
    }
}

/// A paging scheme. Fields are the `Request`'s field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// A page number counted up from the request's (1 when unset), until a page has no items
    /// or the number passes the page count the response gives.
    PageNumber {
        /// The page number parameter.
        page: String,
        /// Whether the parameter is an `Option`.
        optional: bool,
        /// Where the response says how many pages there are.
        page_count: Option<Vec<Step>>,
    },
    /// An offset moved on by the items each page holds, until a page has no items.
    Offset {
        /// The offset parameter.
        offset: String,
        /// Whether the parameter is an `Option`.
        optional: bool,
    },
    /// A cursor the response hands out for the next page, until it is absent or empty.
    Cursor {
        /// The cursor parameter.
        cursor: String,
        /// Whether the parameter is an `Option`.
        optional: bool,
        /// Where the response holds the next cursor.
        next: Vec<Step>,
    },
    /// A link to the next page that the response gives, followed as it is, until there is
    /// none.
    NextLink(Link),
    /// The last item's id as the cursor (`starting_after`), while the response says there is
    /// more.
    LastId {
        /// The cursor parameter.
        cursor: String,
        /// Whether the parameter is an `Option`.
        optional: bool,
        /// Where the response says whether there is more.
        has_more: Vec<Step>,
        /// The item's id field.
        id: Step,
    },
}

/// Where a response holds the link to the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A `Link` header whose `rel` is `next`.
    Header,
    /// A body field holding the URL (`next`, `@odata.nextLink`, `links.next`,
    /// `_links.next.href`).
    Field(Vec<Step>),
    /// The `href` of the link object whose `rel` is `next`, in a list of them
    /// (`links: [{"rel": "next", "href": ...}]`).
    Rel {
        /// The list of link objects.
        links: Vec<Step>,
        /// The link object's `rel` field.
        rel: Step,
        /// The link object's `href` field.
        href: Step,
    },
}

impl Scheme {
    /// The scheme's name in docs and counts.
    pub fn name(&self) -> &'static str {
        match self {
            Self::PageNumber { .. } => "page number",
            Self::Offset { .. } => "offset",
            Self::Cursor { .. } => "cursor",
            Self::NextLink(_) => "next link",
            Self::LastId { .. } => "last id",
        }
    }
}

/// Parameters that carry a cursor handed out by the previous page (compared without case,
/// `_`, `-` and `$`).
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "nextcursor",
    "pagetoken",
    "nextpagetoken",
    "pagecursor",
    "continuation",
    "continuationtoken",
    "paginationtoken",
    "nexttoken",
    "after",
    "marker",
];

/// Response fields that hold the next page's cursor.
const CURSOR_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "paginationtoken",
    "nextmarker",
    "cursor",
    "after",
];

/// Objects of a response that hold paging fields (`meta.next_cursor`).
const PAGING_OBJECTS: &[&str] = &[
    "meta",
    "metadata",
    "pagination",
    "paging",
    "pageinfo",
    "responsemetadata",
    "cursors",
];

/// Response fields that hold the next page's URL, or a link object with its `href`.
const NEXT_LINK_FIELDS: &[&str] = &[
    "next",
    "nextlink",
    "odatanextlink",
    "nexturl",
    "nextpageurl",
    "nextpagelink",
    "nexthref",
    "nextpage",
];

/// Objects of a response that hold links (`links.next`, HAL's `_links.next.href`).
const LINK_OBJECTS: &[&str] = &["links"];

const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];

/// Response fields that say how many pages there are.
const PAGE_COUNT_FIELDS: &[&str] = &["pagecount", "totalpages", "pages", "lastpage", "numpages"];

/// Response fields that show a page number parameter is one: counts and totals.
const PAGE_FIELDS: &[&str] = &[
    "pagecount",
    "totalpages",
    "pages",
    "lastpage",
    "numpages",
    "pagenumber",
    "currentpage",
    "page",
    "total",
    "totalcount",
    "totalrecords",
    "totalresults",
    "totalitems",
    "count",
    "hasmore",
    "nextpage",
];

const OFFSET_PARAMS: &[&str] = &["offset", "skip", "startindex", "start", "startat"];

/// Parameters of the page size that an offset goes with.
const LIMIT_PARAMS: &[&str] = &[
    "limit",
    "top",
    "count",
    "max",
    "maxresults",
    "maxrecords",
    "pagesize",
    "perpage",
    "size",
    "rows",
    "take",
];

/// Fields that commonly hold a page's items, when a body has several lists.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "value", "records", "entries", "elements", "list",
];

/// A name as the lists above hold it: lowercase, without `_`, `-`, `$` and `@`.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '$' | '@' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The definitions paging looks through: the operation's own and the shared ones.
struct Types<'a> {
    local: &'a [TypeDef],
    shared: &'a [SharedType],
}

impl Types<'_> {
    fn structure(&self, ty: &Ty) -> Option<&StructDef> {
        let def = match ty {
            Ty::Option(inner) => return self.structure(inner),
            Ty::Named(name) => self.local.iter().find(|d| d.name() == name)?,
            Ty::Shared(name) => &self.shared.iter().find(|s| s.def.name() == name)?.def,
            _ => return None,
        };
        match def {
            TypeDef::Struct(def) => Some(def),
            TypeDef::Enum(_) => None,
        }
    }
}

/// `ty` without its `Option`.
fn bare(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => bare(inner),
        ty => ty,
    }
}

/// Infers paging for every operation below `module`; operations with partial evidence get a
/// note for their docs.
pub fn infer_all(module: &mut Module, shared: &[SharedType]) {
    for op in &mut module.operations {
        let (paging, note) = infer(op, shared);
        op.paging = paging;
        op.paging_note = note;
    }
    for child in &mut module.modules {
        infer_all(child, shared);
    }
}

/// The paging of `op`, or why there is none when the collection shows part of it.
fn infer(op: &Operation, shared: &[SharedType]) -> (Option<Paging>, Option<String>) {
    if op.method != "GET" {
        return (None, None);
    }
    let types = Types {
        local: &op.types,
        shared,
    };
    let query = |names: &[&str]| {
        op.params
            .iter()
            .find(|p| p.place == ParamIn::Query && names.contains(&normalized(&p.key).as_str()))
    };
    let cursor_param = query(CURSOR_PARAMS).filter(|p| p.ty == Ty::String);
    let page_param = query(PAGE_PARAMS).filter(|p| p.ty == Ty::I64);
    let offset_param = query(OFFSET_PARAMS).filter(|p| p.ty == Ty::I64);
    let last_id_param = query(&["startingafter"]).filter(|p| p.ty == Ty::String);
    let any_param = cursor_param
        .or(page_param)
        .or(offset_param)
        .or(last_id_param);
    let Some(success) = op.responses.iter().find(|r| r.is_success()) else {
        return (None, any_param.map(|p| no_response(&p.key)));
    };
    let ResponseKind::Json(body) = &success.kind else {
        return (None, any_param.map(|p| no_response(&p.key)));
    };
    let size = query(LIMIT_PARAMS);
    let Some(param) = any_param.or(size) else {
        return (None, None);
    };
    let Some((items, item)) = item_list(body, &types, op) else {
        let note = any_param.map(|param| {
            format!(
                "Not paged: query parameter `{}` looks like paging, but the saved {} response \
                 holds no list of items.",
                param.key, success.status
            )
        });
        return (None, note);
    };
    let fields = types.structure(body);
    let found = |names: &[&str]| fields.and_then(|def| field_path(def, names, &types));
    let list = describe_path(&items);
    let make = |scheme: Scheme, evidence: String| Paging {
        scheme,
        variant: success.variant.clone(),
        items: items.clone(),
        item: item.clone(),
        evidence,
    };
    // Each scheme the parameters suggest, in turn; the first the response confirms wins, else
    // the first reason it did not.
    let mut notes = Vec::new();
    if let Some(param) = cursor_param {
        let mut names: Vec<&str> = CURSOR_FIELDS.to_vec();
        let own = normalized(&param.key);
        let next_own = format!("next{own}");
        names.extend([own.as_str(), next_own.as_str()]);
        match found(&names).filter(|(_, ty)| *bare(ty) == Ty::String) {
            Some((next, _)) => {
                let evidence = format!(
                    "query parameter `{}`, and the next cursor in {} of the {} response, whose \
                     items are {list}",
                    param.key,
                    describe_path(&next),
                    success.status
                );
                let scheme = Scheme::Cursor {
                    cursor: param.field.clone(),
                    optional: param.optional,
                    next,
                };
                return (Some(make(scheme, evidence)), None);
            }
            None => notes.push(format!(
                "Not paged: query parameter `{}` looks like a cursor, but the saved {} response \
                 holds no next cursor.",
                param.key, success.status
            )),
        }
    }
    if let Some(param) = last_id_param {
        let has_more = found(&["hasmore"]).filter(|(_, ty)| *bare(ty) == Ty::Bool);
        let id = types.structure(&item).and_then(|def| {
            let field = def.fields.iter().find(|f| f.key == "id")?;
            (*bare(&field.ty) == Ty::String).then(|| Step::of(field))
        });
        match (has_more, id) {
            (Some((has_more, _)), Some(id)) => {
                let evidence = format!(
                    "query parameter `{}`, {} of the {} response, and the `id` of its items \
                     ({list})",
                    param.key,
                    describe_path(&has_more),
                    success.status
                );
                let scheme = Scheme::LastId {
                    cursor: param.field.clone(),
                    optional: param.optional,
                    has_more,
                    id,
                };
                return (Some(make(scheme, evidence)), None);
            }
            _ => notes.push(format!(
                "Not paged: query parameter `{}` takes the last item's id, but the saved {} \
                 response has no `has_more` or its items no `id`.",
                param.key, success.status
            )),
        }
    }
    let saved = serde_json::from_str(&success.saved.body).ok();
    if let Some((link, shown)) = fields.and_then(|def| next_link(def, &types, saved.as_ref())) {
        let evidence = format!(
            "query parameter `{}`, and {shown} of the {} response, whose items are {list}",
            param.key, success.status
        );
        return (Some(make(Scheme::NextLink(link), evidence)), None);
    }
    let link_header = success.saved.headers.iter().any(|(k, v)| {
        let v = v.to_ascii_lowercase().replace(['"', ' '], "");
        k.eq_ignore_ascii_case("link") && v.contains(";rel=next")
    });
    if link_header {
        let evidence = format!(
            "query parameter `{}`, and a `Link` header with `rel=\"next\"` on the {} response, \
             whose items are {list}",
            param.key, success.status
        );
        return (Some(make(Scheme::NextLink(Link::Header), evidence)), None);
    }
    if let Some(param) = page_param {
        let counted = found(PAGE_FIELDS);
        let shown_by = match (&counted, size) {
            (Some((path, _)), _) => Some(format!(
                "{} of the {} response",
                describe_path(path),
                success.status
            )),
            (None, Some(size)) => Some(format!(
                "page size `{}`, and the list the {} response holds",
                size.key, success.status
            )),
            (None, None) => None,
        };
        match shown_by {
            Some(shown_by) => {
                let page_count = found(PAGE_COUNT_FIELDS)
                    .filter(|(_, ty)| *bare(ty) == Ty::I64)
                    .map(|(path, _)| path);
                let evidence = format!(
                    "query parameter `{}`, and {shown_by}, whose items are {list}",
                    param.key
                );
                let scheme = Scheme::PageNumber {
                    page: param.field.clone(),
                    optional: param.optional,
                    page_count,
                };
                return (Some(make(scheme, evidence)), None);
            }
            None => notes.push(format!(
                "Not paged: query parameter `{}` looks like a page number, but there is no page \
                 size parameter and the saved {} response has no page count, total or `Link` \
                 header to confirm it.",
                param.key, success.status
            )),
        }
    }
    if let Some(param) = offset_param {
        let total = found(PAGE_FIELDS);
        let with = match (size, total) {
            (Some(size), _) => Some(format!("page size `{}`", size.key)),
            (None, Some(_)) => Some("a total in the response".to_owned()),
            (None, None) => None,
        };
        match with {
            Some(with) => {
                let evidence = format!(
                    "query parameter `{}` with {with}, and the {} response, whose items are \
                     {list}",
                    param.key, success.status
                );
                let scheme = Scheme::Offset {
                    offset: param.field.clone(),
                    optional: param.optional,
                };
                return (Some(make(scheme, evidence)), None);
            }
            None => notes.push(format!(
                "Not paged: query parameter `{}` looks like an offset, but there is no page size \
                 parameter and the saved {} response has no total.",
                param.key, success.status
            )),
        }
    }
    (None, notes.into_iter().next())
}

fn no_response(key: &str) -> String {
    format!(
        "Not paged: query parameter `{key}` looks like paging, but the collection saved no JSON \
         success response to confirm it."
    )
}

/// `items` of the response, or the whole list.
fn describe_path(path: &[Step]) -> String {
    match path {
        [] => "the whole body".to_owned(),
        path => {
            let keys: Vec<&str> = path.iter().map(|s| s.key.as_str()).collect();
            format!("`{}`", keys.join("."))
        }
    }
}

/// The list of items a page holds, and their type: the body itself when it is a list, else its
/// one list field (several: the one named like items, or like the path's last segment).
fn item_list(body: &Ty, types: &Types<'_>, op: &Operation) -> Option<(Vec<Step>, Ty)> {
    if let Ty::Vec(item) = bare(body) {
        return Some((Vec::new(), (**item).clone()));
    }
    let def = types.structure(body)?;
    let lists: Vec<(&super::Field, &Ty)> = def
        .fields
        .iter()
        .filter(|f| !LINK_OBJECTS.contains(&normalized(&f.key).as_str()))
        .filter_map(|f| match bare(&f.ty) {
            Ty::Vec(item) => Some((f, item.as_ref())),
            _ => None,
        })
        .collect();
    let resource = op
        .path
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.starts_with(':') && !s.contains('{'))
        .map(normalized)
        .unwrap_or_default();
    let (field, item) = match lists.as_slice() {
        [one] => *one,
        several => *several.iter().find(|(f, _)| {
            let key = normalized(&f.key);
            ITEM_FIELDS.contains(&key.as_str()) || key == resource
        })?,
    };
    Some((vec![Step::of(field)], item.clone()))
}

/// The link to the next page in a body of type `def`, confirmed by the saved body `saved`,
/// with how the docs name it: a field named like one (or a link object's `href`) at the top or
/// in a links or paging object, whose saved value is a URL; or the link whose `rel` is `next`
/// in a list of link objects.
fn next_link(
    def: &StructDef,
    types: &Types<'_>,
    saved: Option<&serde_json::Value>,
) -> Option<(Link, String)> {
    let saved = saved?;
    let mut places = vec![(Vec::new(), def)];
    for f in &def.fields {
        let key = normalized(&f.key);
        if LINK_OBJECTS.contains(&key.as_str()) || PAGING_OBJECTS.contains(&key.as_str()) {
            if let Some(inner) = types.structure(&f.ty) {
                places.push((vec![Step::of(f)], inner));
            }
        }
    }
    for (path, place) in &places {
        for name in NEXT_LINK_FIELDS {
            let Some(f) = place.fields.iter().find(|f| normalized(&f.key) == *name) else {
                continue;
            };
            let mut steps = path.clone();
            steps.push(Step::of(f));
            if *bare(&f.ty) != Ty::String {
                let Some(href) = types
                    .structure(&f.ty)
                    .and_then(|def| def.fields.iter().find(|g| g.key == "href"))
                    .filter(|href| *bare(&href.ty) == Ty::String)
                else {
                    continue;
                };
                steps.push(Step::of(href));
            }
            if is_link(value_at(saved, &steps)) {
                let shown = describe_path(&steps);
                return Some((Link::Field(steps), shown));
            }
        }
    }
    def.fields.iter().find_map(|f| {
        if !LINK_OBJECTS.contains(&normalized(&f.key).as_str()) {
            return None;
        }
        let Ty::Vec(link) = bare(&f.ty) else {
            return None;
        };
        let link = types.structure(link)?;
        let field = |key: &str| {
            link.fields
                .iter()
                .find(|g| g.key == key && *bare(&g.ty) == Ty::String)
        };
        let (rel, href) = (field("rel")?, field("href")?);
        let listed = saved.get(&f.key)?.as_array()?.iter().any(|link| {
            link.get("rel").and_then(serde_json::Value::as_str) == Some("next")
                && is_link(link.get("href"))
        });
        listed.then(|| {
            let shown = format!("the link whose `rel` is `next` in `{}`", f.key);
            let links = Link::Rel {
                links: vec![Step::of(f)],
                rel: Step::of(rel),
                href: Step::of(href),
            };
            (links, shown)
        })
    })
}

/// The saved value at the end of `steps`.
fn value_at<'v>(value: &'v serde_json::Value, steps: &[Step]) -> Option<&'v serde_json::Value> {
    steps
        .iter()
        .try_fold(value, |value, step| value.get(&step.key))
}

/// Whether a saved value is a URL, absolute or relative.
fn is_link(value: Option<&serde_json::Value>) -> bool {
    value
        .and_then(serde_json::Value::as_str)
        .is_some_and(|text| {
            ["http://", "https://", "/", "?"]
                .iter()
                .any(|start| text.starts_with(start))
        })
}

/// The path to a field named one of `names` (normalized): at the top of `def`, or in one of
/// its paging objects.
fn field_path(def: &StructDef, names: &[&str], types: &Types<'_>) -> Option<(Vec<Step>, Ty)> {
    let step = Step::of;
    for name in names {
        if let Some(f) = def.fields.iter().find(|f| normalized(&f.key) == *name) {
            return Some((vec![step(f)], f.ty.clone()));
        }
    }
    def.fields.iter().find_map(|f| {
        if !PAGING_OBJECTS.contains(&normalized(&f.key).as_str()) {
            return None;
        }
        let inner = types.structure(&f.ty)?;
        names.iter().find_map(|name| {
            let g = inner.fields.iter().find(|g| normalized(&g.key) == *name)?;
            Some((vec![step(f), step(g)], g.ty.clone()))
        })
    })
}
