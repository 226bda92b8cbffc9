//! Lists that page (collections/paging.postman_collection.json): a stand-in server on
//! 127.0.0.1 pages each scheme as a real API does, and the items streamed are the items
//! served, in order.

use postman_clients::paging::{
    list_accounts, list_charges, list_contacts, list_events, list_gists, list_meetings,
    list_messages, list_orders, list_plans, list_repositories, list_users, Client,
};
use postman_clients::runtime::futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers with the JSON `page` makes of the request.
struct Pages<F>(F);

impl<F: Fn(&Request) -> Value + Send + Sync> Respond for Pages<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json((self.0)(request))
    }
}

fn query(request: &Request, key: &str) -> Option<String> {
    let mut pairs = request.url.query_pairs();
    pairs.find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

fn number(request: &Request, key: &str, default: usize) -> usize {
    query(request, key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A server whose `route` answers with `page`, and a client pointed at it.
async fn serve(
    route: &str,
    page: impl Fn(&Request) -> Value + Send + Sync + 'static,
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(Pages(page))
        .mount(&server)
        .await;
    let client = Client::new().with_base_url(server.uri());
    (server, client)
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

#[tokio::test]
async fn page_numbers_stop_at_the_page_count() {
    let all = ids("u", 5);
    let served = all.clone();
    let (server, client) = serve("/users", move |request| {
        let (page, size) = (number(request, "page", 1), number(request, "per_page", 10));
        let users: Vec<Value> = served
            .iter()
            .skip((page - 1) * size)
            .take(size)
            .map(|id| json!({"id": id}))
            .collect();
        json!({"page": page, "page_count": served.len().div_ceil(size), "users": users})
    })
    .await;
    let request = list_users::Request::new().per_page(2);
    let users: Vec<_> = request.items(&client).try_collect().await.unwrap();
    let got: Vec<String> = users.into_iter().filter_map(|u| u.id).collect();
    assert_eq!(got, all);
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 3, "three pages, no request past the page count");
    assert!(
        sent.iter()
            .all(|r| query(r, "per_page").as_deref() == Some("2")),
        "the page size is kept"
    );
}

#[tokio::test]
async fn a_bare_list_pages_until_an_empty_page() {
    let (server, client) = serve("/gists", |request| {
        let page = number(request, "page", 1);
        let gists: Vec<Value> = match page {
            1 => vec![json!({"id": "g1"}), json!({"id": "g2"})],
            2 => vec![json!({"id": "g3"})],
            _ => Vec::new(),
        };
        Value::Array(gists)
    })
    .await;
    let gists: Vec<_> = list_gists::Request::new()
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = gists.into_iter().filter_map(|g| g.id).collect();
    assert_eq!(got, ["g1", "g2", "g3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// The URL of the page after the one `request` asked for, on the server it was sent to (its
/// `Host`), with `key` set to `value` and the rest of its query kept.
fn link(request: &Request, key: &str, value: &str) -> String {
    let host = request.headers["host"].to_str().unwrap();
    let mut url = request.url.clone();
    url.set_host(Some(host.split(':').next().unwrap())).unwrap();
    url.set_port(host.split(':').nth(1).and_then(|port| port.parse().ok()))
        .unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(key, value);
    url.to_string()
}

#[tokio::test]
async fn a_link_header_is_followed_until_there_is_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos"))
        .respond_with(|request: &Request| {
            let page = number(request, "page", 1);
            let repos = match page {
                1 => json!([{"id": 1, "name": "one"}, {"id": 2, "name": "two"}]),
                _ => json!([{"id": 3, "name": "three"}]),
            };
            let first = link(request, "page", "1");
            let response = ResponseTemplate::new(200).set_body_json(repos);
            if page == 1 {
                let links = format!(
                    "<{}>; rel=\"next\", <{first}>; rel=\"first\"",
                    link(request, "page", "2")
                );
                response.insert_header("link", links.as_str())
            } else {
                response.insert_header("link", format!("<{first}>; rel=\"first\"").as_str())
            }
        })
        .mount(&server)
        .await;
    let client = Client::new().with_base_url(server.uri());
    let repos: Vec<_> = list_repositories::Request::new()
        .per_page(2)
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let names: Vec<String> = repos.into_iter().filter_map(|r| r.name).collect();
    assert_eq!(names, ["one", "two", "three"]);
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2, "no request past the last link");
    assert_eq!(query(&sent[1], "per_page").as_deref(), Some("2"));
}

#[tokio::test]
async fn links_in_the_body_are_followed_until_there_is_none() {
    // `next` with an absolute URL that ends as `null` (Django REST framework, Spotify).
    let (_server, client) = serve("/contacts", |request| {
        let offset = number(request, "offset", 0);
        let results: Vec<Value> = (offset..5.min(offset + 2))
            .map(|i| json!({"id": i, "name": format!("c{i}")}))
            .collect();
        let next = (offset + 2 < 5).then(|| link(request, "offset", &(offset + 2).to_string()));
        json!({"count": 5, "next": next, "previous": null, "results": results})
    })
    .await;
    let contacts: Vec<_> = list_contacts::Request::new()
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<i64> = contacts.into_iter().filter_map(|c| c.id).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4]);

    // OData's `@odata.nextLink`, absent on the last page; the page size is the link's.
    let (server, client) = serve("/messages", |request| {
        let token = query(request, "$skiptoken");
        let (value, next) = match token.as_deref() {
            None => (json!([{"id": "m1"}, {"id": "m2"}]), Some("X2")),
            Some("X2") => (json!([{"id": "m3"}]), None),
            Some(other) => panic!("unexpected token {other}"),
        };
        let mut page = json!({"value": value});
        if let Some(next) = next {
            page["@odata.nextLink"] = link(request, "$skiptoken", next).into();
        }
        page
    })
    .await;
    let messages: Vec<_> = list_messages::Request::new()
        .top(2)
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = messages.into_iter().filter_map(|m| m.id).collect();
    assert_eq!(ids, ["m1", "m2", "m3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // HAL's `_links.next.href`, relative, and no `next` on the last page.
    let (_server, client) = serve("/accounts", |request| {
        let (data, links) = match query(request, "cursor").as_deref() {
            None => (
                json!([{"id": "a1"}, {"id": "a2"}]),
                json!({"next": {"href": "/accounts?pageSize=2&cursor=a2"}}),
            ),
            Some("a2") => (json!([{"id": "a3"}]), json!({})),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        json!({"data": data, "_links": links})
    })
    .await;
    let accounts: Vec<_> = list_accounts::Request::new()
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = accounts.into_iter().filter_map(|a| a.id).collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);

    // PayPal's list of links, the one whose `rel` is `next`.
    let (_server, client) = serve("/plans", |request| {
        let page = number(request, "page", 1);
        let mut links =
            vec![json!({"href": link(request, "page", &page.to_string()), "rel": "self"})];
        if page < 3 {
            let next = link(request, "page", &(page + 1).to_string());
            links.push(json!({"href": next, "rel": "next", "method": "GET"}));
        }
        json!({"plans": [{"id": format!("P-{page}")}], "links": links})
    })
    .await;
    let plans: Vec<_> = list_plans::Request::new()
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = plans.into_iter().filter_map(|p| p.id).collect();
    assert_eq!(ids, ["P-1", "P-2", "P-3"]);
}

#[tokio::test]
async fn a_link_to_another_host_ends_the_stream_with_an_error() {
    let (server, client) = serve(
        "/contacts",
        |_| json!({"next": "https://elsewhere.example/contacts?offset=2", "results": [{"id": 1}]}),
    )
    .await;
    let items: Vec<_> = list_contacts::Request::new().items(&client).collect().await;
    assert_eq!(items.len(), 2);
    let error = items[1].as_ref().unwrap_err().to_string();
    assert!(
        error.contains("https://elsewhere.example/contacts?offset=2")
            && error.contains("credentials"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn offsets_move_on_by_the_items_each_page_holds() {
    let all = ids("o", 5);
    let served = all.clone();
    let (_server, client) = serve("/orders", move |request| {
        let (offset, limit) = (number(request, "offset", 0), number(request, "limit", 2));
        let orders: Vec<Value> = served
            .iter()
            .skip(offset)
            .take(limit)
            .map(|id| json!({"id": id}))
            .collect();
        json!({"total": served.len(), "orders": orders})
    })
    .await;
    let orders: Vec<_> = list_orders::Request::new()
        .limit(2)
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = orders.into_iter().filter_map(|o| o.id).collect();
    assert_eq!(got, all);
}

#[tokio::test]
async fn cursors_end_with_null_or_empty() {
    // `meta.next_cursor` ends with `null`; the filter `status` stays on every page.
    let (server, client) = serve("/events", |request| {
        let cursor = query(request, "cursor").unwrap_or_default();
        let (events, next) = match cursor.as_str() {
            "" => (vec!["e1", "e2"], json!("c2")),
            "c2" => (vec!["e3"], json!("c3")),
            _ => (vec!["e4"], Value::Null),
        };
        let events: Vec<Value> = events.into_iter().map(|id| json!({"id": id})).collect();
        json!({"events": events, "meta": {"next_cursor": next}})
    })
    .await;
    let events: Vec<_> = list_events::Request::new()
        .status("open")
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = events.into_iter().filter_map(|e| e.id).collect();
    assert_eq!(got, ids("e", 4));
    let sent = server.received_requests().await.unwrap();
    assert!(sent
        .iter()
        .all(|r| query(r, "status").as_deref() == Some("open")));

    // `next_page_token` ends with `""`.
    let (_server, client) = serve("/meetings", |request| {
        let token = query(request, "next_page_token").unwrap_or_default();
        let (meetings, next) = match token.as_str() {
            "" => (vec![1, 2], "t2"),
            _ => (vec![3], ""),
        };
        let meetings: Vec<Value> = meetings.into_iter().map(|id| json!({"id": id})).collect();
        json!({"next_page_token": next, "meetings": meetings})
    })
    .await;
    let meetings: Vec<_> = list_meetings::Request::new()
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<i64> = meetings.into_iter().filter_map(|m| m.id).collect();
    assert_eq!(got, [1, 2, 3]);
}

#[tokio::test]
async fn the_last_id_pages_while_there_is_more() {
    let all = ids("ch_", 5);
    let served = all.clone();
    let (_server, client) = serve("/charges", move |request| {
        let limit = number(request, "limit", 2);
        let start = match query(request, "starting_after").filter(|s| !s.is_empty()) {
            Some(after) => served
                .iter()
                .position(|id| *id == after)
                .map_or(0, |i| i + 1),
            None => 0,
        };
        let data: Vec<Value> = served
            .iter()
            .skip(start)
            .take(limit)
            .map(|id| json!({"id": id}))
            .collect();
        json!({"object": "list", "data": data, "has_more": start + limit < served.len()})
    })
    .await;
    let charges: Vec<_> = list_charges::Request::new()
        .limit(2)
        .items(&client)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = charges.into_iter().filter_map(|c| c.id).collect();
    assert_eq!(got, all);
}

#[tokio::test]
async fn stopping_early_sends_no_more_pages() {
    let (server, client) = serve(
        "/events",
        |_| json!({"events": [{"id": "e"}], "meta": {"next_cursor": "again"}}),
    )
    .await;
    let request = list_events::Request::new();
    let first: Vec<_> = request.pages(&client).take(1).collect().await;
    assert_eq!(first.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_cursor_handed_out_again_ends_the_stream() {
    let (server, client) = serve(
        "/events",
        |_| json!({"events": [{"id": "e"}], "meta": {"next_cursor": "same"}}),
    )
    .await;
    let pages: Vec<_> = list_events::Request::new().pages(&client).collect().await;
    assert_eq!(
        pages.len(),
        2,
        "the second page hands out the cursor that asked for it"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_pages_before_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .respond_with(
            |request: &Request| match query(request, "cursor").as_deref() {
                Some("c2") => ResponseTemplate::new(500).set_body_string("down"),
                _ => ResponseTemplate::new(200).set_body_json(
                    json!({"events": [{"id": "e1"}], "meta": {"next_cursor": "c2"}}),
                ),
            },
        )
        .mount(&server)
        .await;
    let client = Client::new().with_base_url(server.uri());
    let items: Vec<_> = list_events::Request::new().items(&client).collect().await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn a_server_that_never_ends_is_stopped_by_the_bound() {
    let (server, client) = serve("/orders", |request| {
        let offset = number(request, "offset", 0);
        json!({"total": 1_000_000, "orders": [{"id": format!("o{offset}")}]})
    })
    .await;
    let client = client.with_max_pages(3);
    let pages: Vec<_> = list_orders::Request::new().pages(&client).collect().await;
    assert_eq!(pages.len(), 4, "three pages, then the error");
    let error = pages[3].as_ref().unwrap_err();
    assert!(
        error.to_string().contains("stopped after 3 pages"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}
