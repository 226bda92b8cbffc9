//! Lists that page: the pages of an operation as a stream, each sent with the client's retry
//! policy, from the request as the caller set it (filters and page size kept).

use futures_util::stream::{self, Stream, StreamExt};

use super::operation::{exchange, prepare_sending};
use super::{BuildError, Error, Operation, Outcome, Response};

/// An operation whose successes are pages of a list: generated where the collection shows how
/// it pages (its docs say how, and from what).
pub trait Paged: Operation + Clone + PartialEq {
    /// One item of the list.
    type Item;

    /// The items `page` holds (none for a success that is not a page).
    fn items(page: &Self::Success) -> Vec<Self::Item>;

    /// What to send for the page after `page`, or `None` when `page` is the last.
    fn next_page(&self, page: &Response<Self::Success>) -> Option<NextPage<Self>>;
}

/// What [`Paged::next_page`] sends for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage<O> {
    /// The request with its paging parameter moved on (a page number, an offset, a cursor).
    Request(O),
    /// A link to the next page as the response gave it, absolute or relative: sent with the
    /// request's headers and credentials ([`Operation::prepare_to`]).
    Link(String),
}

/// The link of a `Link` header (RFC 8288) whose `rel` is `next`, as GitHub and others page.
pub fn next_link(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| {
            let mut rest = value;
            while let Some(start) = rest.find('<') {
                let end = start + rest[start..].find('>')?;
                let target = &rest[start + 1..end];
                rest = &rest[end + 1..];
                let params = &rest[..rest.find('<').unwrap_or(rest.len())];
                if is_next(params) {
                    return Some(target.to_owned());
                }
            }
            None
        })
}

/// Whether a link's parameters (`; rel="next last"`) name it the next.
fn is_next(params: &str) -> bool {
    params.split(';').any(|param| {
        param.split_once('=').is_some_and(|(key, value)| {
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_end_matches(',')
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        })
    })
}

/// What the stream of pages keeps between pages: the request to send next (with the link to
/// send it to, for a page the server linked), and how many pages went out.
struct Walk<O> {
    next: Option<(O, Option<String>)>,
    sent: usize,
}

/// The pages from `first` on: each page's response, in order. An error is the stream's last
/// item. The stream ends at the last page, when the next request would be the same as the last
/// one (a server that hands out the same cursor or link again), or with an error after the
/// client's [`Client::max_pages`](super::Client::max_pages).
pub fn pages<'a, O: Paged + 'a>(
    first: &O,
    client: &'a O::Client,
) -> impl Stream<Item = Outcome<O>> + 'a
where
    O::Success: 'a,
    O::Error: 'a,
{
    let max = client.as_ref().max_pages();
    let walk = Walk {
        next: Some((first.clone(), None)),
        sent: 0,
    };
    stream::unfold(walk, move |mut walk| async move {
        let (request, link) = walk.next.take()?;
        if walk.sent == max {
            let message = format!(
                "{}: stopped after {max} pages, the client's bound (`Client::with_max_pages`)",
                O::ID
            );
            return Some((Err(Error::Build(BuildError::new(message))), walk));
        }
        walk.sent += 1;
        let prepared = prepare_sending(&request, client, link.as_deref()).await;
        let prepared = match prepared {
            Ok(prepared) => prepared,
            Err(error) => return Some((Err(Error::Build(error)), walk)),
        };
        let url = prepared.url.clone();
        let outcome = exchange::<O>(client, prepared).await;
        if let Ok(page) = &outcome {
            walk.next = match request.next_page(page) {
                Some(NextPage::Request(next)) => (next != request).then_some((next, None)),
                Some(NextPage::Link(next)) => reqwest::Url::parse(&url)
                    .and_then(|url| url.join(&next))
                    .map_or(Some(next), |next| Some(next.to_string()))
                    .filter(|next| *next != url)
                    .map(|next| (request, Some(next))),
                None => None,
            };
        }
        Some((outcome, walk))
    })
}

/// The items of every page from `first` on, in order; an error is the stream's last item.
pub fn items<'a, O: Paged + 'a>(
    first: &O,
    client: &'a O::Client,
) -> impl Stream<Item = Result<O::Item, Error<O::Error>>> + 'a
where
    O::Success: 'a,
    O::Error: 'a,
    O::Item: 'a,
{
    pages(first, client).flat_map(|page| {
        let items: Vec<Result<O::Item, Error<O::Error>>> = match page {
            Ok(page) => O::items(page.value()).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(links: &[&str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for link in links {
            headers.append(http::header::LINK, link.parse().unwrap());
        }
        headers
    }

    #[test]
    fn next_link_reads_the_link_whose_rel_is_next() {
        let github = headers(&[
            "<https://api.github.com/repos/a/b/issues?page=2>; rel=\"next\", \
             <https://api.github.com/repos/a/b/issues?page=9>; rel=\"last\"",
        ]);
        assert_eq!(
            next_link(&github).as_deref(),
            Some("https://api.github.com/repos/a/b/issues?page=2")
        );
        let split = headers(&[
            "</items?page=1&f=a,b>; rel=prev",
            "</items?page=3&f=a,b>; REL=\"Next last\"",
        ]);
        assert_eq!(next_link(&split).as_deref(), Some("/items?page=3&f=a,b"));
        let last = headers(&["</items?page=1>; rel=\"prev\"", "<broken; rel=next"]);
        assert_eq!(next_link(&last), None);
        assert_eq!(next_link(&http::HeaderMap::new()), None);
    }
}
