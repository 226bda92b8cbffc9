//! Lists that page: the pages of an operation as a stream, each sent with the client's retry
//! policy, from the request as the caller set it (filters and page size kept).

use futures_util::stream::{self, Stream, StreamExt};

use super::{BuildError, Error, Operation, Outcome};

/// An operation whose successes are pages of a list: generated where the collection shows how
/// it pages (its docs say how, and from what).
pub trait Paged: Operation + Clone + PartialEq {
    /// One item of the list.
    type Item;

    /// The items `page` holds (none for a success that is not a page).
    fn items(page: &Self::Success) -> Vec<Self::Item>;

    /// The request for the page after `page`, or `None` when `page` is the last.
    fn next_page(&self, page: &Self::Success) -> Option<Self>;
}

/// What the stream of pages keeps between pages.
struct Walk<O> {
    next: Option<O>,
    sent: usize,
}

/// The pages from `first` on: each page's response, in order. An error is the stream's last
/// item. The stream ends at the last page, when the next request would be the same as the last
/// one (a server that hands out the same cursor again), or with an error after the client's
/// [`Client::max_pages`](super::Client::max_pages).
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
        next: Some(first.clone()),
        sent: 0,
    };
    stream::unfold(walk, move |mut walk| async move {
        let request = walk.next.take()?;
        if walk.sent == max {
            let message = format!(
                "{}: stopped after {max} pages, the client's bound (`Client::with_max_pages`)",
                O::ID
            );
            return Some((Err(Error::Build(BuildError::new(message))), walk));
        }
        walk.sent += 1;
        let outcome = request.send(client).await;
        if let Ok(page) = &outcome {
            walk.next = request
                .next_page(page.value())
                .filter(|next| *next != request);
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
