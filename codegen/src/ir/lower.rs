//! Collection model → IR: folders become modules, requests become operations.

use std::collections::{BTreeMap, BTreeSet};

use super::auth::{from_header, resolve};
use super::body::{lower_body, BodyCtx};
use super::infer::Typer;
use super::op_name;
use super::params::{param, query_param, Entry};
use super::responses::lower_responses;
use super::scripts::{Step as ScriptStep, Translation, Translations};
use super::url::{lower_url, whole_variable};
use super::{Api, Auth, Body, Module, Operation, Param, ParamIn, ScriptDoc, Server};
use crate::collection::{self, Collection, Item, KeyValue, Listen, RequestItem, Script};
use crate::diagnostics::{pointer, Diagnostics};
use crate::naming::{snake, Namespace};

/// Names the root module keeps for itself: the runtime module and the methods of the
/// collection's `Client`, its own, its traits' and the runtime client's it derefs to (a test in
/// `emit::client` keeps the list complete).
pub(crate) const ROOT_RESERVED: &[&str] = &[
    "runtime",
    "types",
    "mock",
    "new",
    "clone",
    "fmt",
    "default",
    "deref",
    "as_ref",
    "into",
    "execute",
    "with_servers",
    "with_collection_variables",
    "with_variable",
    "with_secret_variable",
    "with_environment",
    "with_environment_file",
    "with_globals",
    "with_globals_file",
    "variable",
    "with_http_client",
    "with_base_url",
    "with_server",
    "server",
    "with_bearer_token",
    "with_oauth2_token",
    "with_scripts",
    "with_script_seed",
    "with_token_scheme",
    "with_token_source",
    "authorize",
    "with_auth_param",
    "with_basic_auth",
    "with_api_key",
    "with_default_header",
    "with_timeout",
    "with_retry",
    "with_max_pages",
    "max_pages",
];

/// What a request's headers become.
struct Headers<'h> {
    /// Typed parameters (headers whose value is a variable, or disabled alternatives).
    params: Vec<Param>,
    /// Headers sent as written.
    fixed: Vec<(String, String)>,
    /// A hand-written `Authorization` header, the auth when nothing else is declared.
    authorization: Option<&'h KeyValue>,
}

/// Lowers a parsed collection; what cannot be typed is degraded with a warning in `diags`.
/// `module` is the name the generated module will have, kept free for clarity.
pub fn lower(collection: &Collection, module: &str, diags: &mut Diagnostics) -> Api {
    let mut lowerer = Lowerer {
        variables: &collection.variables,
        diags,
        servers: BTreeMap::new(),
        scripts: Vec::new(),
        script_sources: Vec::new(),
        translations: Translations::default(),
        captured: BTreeSet::new(),
    };
    let mut path = Vec::new();
    lowerer.enter_scripts(&collection.scripts, &path, "the collection".to_owned());
    lowerer.understand_all(&collection.items, &mut path);
    let defined: BTreeSet<&str> = collection
        .variables
        .iter()
        .filter(|v| !v.disabled)
        .map(|v| v.key.as_str())
        .collect();
    lowerer.captured = lowerer.translations.captured();
    lowerer
        .captured
        .retain(|name| !defined.contains(name.as_str()));
    let mut root = lowerer.module(
        ModuleHead {
            ident: String::new(),
            name: collection.name.clone(),
            doc: collection.description.clone(),
            reserved: ROOT_RESERVED.iter().copied().chain([module]).collect(),
        },
        &collection.items,
        &mut path,
        Inherited {
            auth: collection.auth.as_ref(),
            disable_body_pruning: collection.disable_body_pruning.unwrap_or(false),
        },
    );
    let primary_server = lowerer
        .servers
        .iter()
        .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then_with(|| b.0.cmp(a.0)))
        .map(|(key, _)| key.clone())
        .unwrap_or_else(|| super::url::NO_HOST.to_owned());
    let mut servers: Vec<Server> = lowerer.servers.into_values().map(|(s, _)| s).collect();
    if servers.is_empty() {
        servers.push(Server {
            key: primary_server.clone(),
            default: String::new(),
        });
    }
    let variables = collection
        .variables
        .iter()
        .filter(|v| !v.disabled && !v.key.is_empty())
        .map(|v| (v.key.clone(), v.value.clone().unwrap_or_default()))
        .collect();
    let types = super::shared::share_types(&mut root);
    super::paging::infer_all(&mut root, &types);
    let scripts = lowerer.translations.census();
    Api {
        name: collection.name.clone(),
        doc: collection.description.clone(),
        servers,
        primary_server,
        variables,
        root,
        types,
        scripts,
        script_sources: lowerer.script_sources,
        doc_tests: None,
    }
}

struct Lowerer<'a> {
    variables: &'a [KeyValue],
    diags: &'a mut Diagnostics,
    /// Servers by key, with how many operations use each.
    servers: BTreeMap<String, (Server, usize)>,
    /// The scripts of the collection and the folders above the item being lowered, outermost
    /// first, with the name of their owner.
    scripts: Vec<(&'a Script, String)>,
    /// Every script understood once.
    translations: Translations,
    /// The sources of the scripts the JavaScript engine runs, each once.
    script_sources: Vec<String>,
    /// Variables the collection does not define that its test scripts set from a response:
    /// data the caller gives, such as an id the API handed out.
    captured: BTreeSet<String>,
}

struct ModuleHead<'a> {
    ident: String,
    name: String,
    doc: Option<String>,
    reserved: Vec<&'a str>,
}

/// What folders pass on to their items: the auth block and Postman's protocol behaviour.
#[derive(Clone, Copy)]
struct Inherited<'a> {
    auth: Option<&'a collection::Auth>,
    disable_body_pruning: bool,
}

impl<'a> Inherited<'a> {
    /// The settings in effect below an item with these own settings: its auth unless absent
    /// or `inherit`, its `disableBodyPruning` unless absent.
    fn below(self, auth: Option<&'a collection::Auth>, pruning: Option<bool>) -> Self {
        Self {
            auth: match auth {
                Some(auth) if auth.kind != collection::AuthKind::Inherit => Some(auth),
                _ => self.auth,
            },
            disable_body_pruning: pruning.unwrap_or(self.disable_body_pruning),
        }
    }
}

/// `text` with its percent-escapes decoded, unless that gives invalid UTF-8.
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_owned(), |decoded| decoded.into_owned())
}

/// Methods whose body Postman does not send unless `disableBodyPruning` is set.
const PRUNED_BODY_METHODS: &[&str] = &["GET", "COPY", "HEAD", "PURGE", "UNLOCK"];

impl<'a> Lowerer<'a> {
    /// Understands `scripts` of the collection or a folder at `path` (warning there about what
    /// cannot be translated) and passes them on to the items below; `owner` says whose they
    /// are ("the collection", "the folder \"Users\"").
    fn enter_scripts(&mut self, scripts: &'a [Script], path: &[String], owner: String) {
        for script in scripts {
            self.understand(script, path);
            self.scripts.push((script, owner.clone()));
        }
    }

    /// Understands every script below `items`, warning at each one's item path, so that what
    /// scripts capture is known before any operation is lowered.
    fn understand_all(&mut self, items: &'a [Item], path: &mut Vec<String>) {
        for item in items {
            let (name, scripts) = match item {
                Item::Folder(folder) => (&folder.name, &folder.scripts),
                Item::Request(request) => (&request.name, &request.scripts),
            };
            path.push(name.clone());
            for script in scripts {
                self.understand(script, path);
            }
            if let Item::Folder(folder) = item {
                self.understand_all(&folder.items, path);
            }
            path.pop();
        }
    }

    /// A path parameter whose value is a variable that only a script sets from a response is
    /// the caller's to give: required, with no default.
    fn require_captured(&self, params: &mut [Param]) {
        for param in params.iter_mut().filter(|p| p.place == ParamIn::Path) {
            let Some(name) = param.default.as_deref().and_then(whole_variable) else {
                continue;
            };
            if !self.captured.contains(name) {
                continue;
            }
            let note = format!(
                "The collection's test scripts set `{{{{{name}}}}}` from a response: give the value \
                 the API handed out (`Response::captured` holds it); `Request::example()` sends \
                 the client's value of the variable."
            );
            param.doc = Some(match param.doc.take() {
                Some(doc) => format!("{doc}\n\n{note}"),
                None => note,
            });
            param.optional = false;
            param.example = param.default.take().map(serde_json::Value::String);
        }
    }

    /// The translation of `script`, warned about at `path` the first time.
    fn understand(&mut self, script: &Script, path: &[String]) -> Translation {
        let diags = &mut *self.diags;
        self.translations
            .get(script, |location, message| {
                diags.warn(path, location, message)
            })
            .clone()
    }

    /// What the operation at `path` runs: the inherited scripts and its own, pre-request and
    /// test steps in Postman's order, and their docs.
    fn operation_scripts(
        &mut self,
        own: &[Script],
        path: &[String],
    ) -> (Vec<ScriptStep>, Vec<ScriptStep>, Vec<ScriptDoc>) {
        let mut docs: Vec<ScriptDoc> = Vec::new();
        for (script, owner) in self.scripts.clone() {
            docs.push(ScriptDoc {
                owner: Some(owner),
                translation: self.understand(script, path),
            });
        }
        for script in own {
            docs.push(ScriptDoc {
                owner: None,
                translation: self.understand(script, path),
            });
        }
        let (mut pre_request, mut test) = (Vec::new(), Vec::new());
        for doc in &docs {
            let t = &doc.translation;
            let steps = match t.listen {
                Listen::PreRequest => &mut pre_request,
                Listen::Test => &mut test,
            };
            if t.sandboxed() {
                steps.push(ScriptStep::Script {
                    source: self.script_source(&t.source),
                    fallback: t.steps.clone(),
                });
            } else {
                steps.extend(t.steps.iter().cloned());
            }
        }
        (pre_request, test, docs)
    }

    /// The index of `source` among the scripts the JavaScript engine runs, added once.
    fn script_source(&mut self, source: &str) -> usize {
        match self.script_sources.iter().position(|s| s == source) {
            Some(index) => index,
            None => {
                self.script_sources.push(source.to_owned());
                self.script_sources.len() - 1
            }
        }
    }

    fn module(
        &mut self,
        head: ModuleHead<'_>,
        items: &'a [Item],
        path: &mut Vec<String>,
        inherited: Inherited<'_>,
    ) -> Module {
        let mut names = Namespace::with_reserved(&head.reserved);
        let mut module = Module {
            ident: head.ident,
            name: head.name,
            doc: head.doc,
            ..Module::default()
        };
        for item in items {
            match item {
                Item::Folder(folder) => {
                    path.push(folder.name.clone());
                    let ident = names.claim(&snake(&folder.name, "folder"));
                    let child = ModuleHead {
                        reserved: vec!["client", "runtime", &ident],
                        ident: ident.clone(),
                        name: folder.name.clone(),
                        doc: folder.description.clone(),
                    };
                    let inherited =
                        inherited.below(folder.auth.as_ref(), folder.disable_body_pruning);
                    let outer = self.scripts.len();
                    self.enter_scripts(
                        &folder.scripts,
                        path,
                        format!("the folder \"{}\"", folder.name),
                    );
                    module
                        .modules
                        .push(self.module(child, &folder.items, path, inherited));
                    self.scripts.truncate(outer);
                    path.pop();
                }
                Item::Request(request) => {
                    path.push(request.name.clone());
                    let method = self.method(request, path);
                    let candidates =
                        op_name::candidates(&request.name, &method, &request.request.url.path);
                    let ident = names.claim_first(&candidates);
                    let inherited = inherited
                        .below(request.request.auth.as_ref(), request.disable_body_pruning);
                    let op = self.operation(request, path, ident, method, inherited);
                    module.operations.push(op);
                    path.pop();
                }
            }
        }
        module
    }

    fn method(&mut self, item: &RequestItem, path: &[String]) -> String {
        let at = pointer(&item.request.location, "method");
        match item.request.method.as_deref().map(str::trim) {
            None | Some("") => {
                self.diags
                    .warn(path, &at, "request has no method; using GET");
                "GET".to_owned()
            }
            Some(m) if http::Method::from_bytes(m.as_bytes()).is_ok() => m.to_ascii_uppercase(),
            Some(m) => {
                self.diags.warn(
                    path,
                    &at,
                    format!("method `{m}` is not a valid HTTP token; using GET"),
                );
                "GET".to_owned()
            }
        }
    }

    fn operation(
        &mut self,
        item: &RequestItem,
        item_path: &[String],
        ident: String,
        method: String,
        inherited: Inherited<'_>,
    ) -> Operation {
        let request = &item.request;
        super::dynamic::warn_ungenerated(request, item_path, self.diags);
        let mut typer = Typer::new();
        let mut fields = Namespace::default();
        let content_type = request
            .headers
            .iter()
            .find(|h| !h.disabled && h.key.eq_ignore_ascii_case("content-type"))
            .and_then(|h| h.value.as_deref());
        // Postman prunes the body of a GET, HEAD, ... unless told not to; so do we.
        let pruned =
            PRUNED_BODY_METHODS.contains(&method.as_str()) && !inherited.disable_body_pruning;
        let body = lower_body(
            request.body.as_ref().filter(|_| !pruned),
            content_type,
            &mut typer,
            BodyCtx {
                item_path,
                diags: self.diags,
                location: request.body_location.clone(),
            },
        );
        if !matches!(body, Body::None) {
            fields.claim("body");
        }
        let url = lower_url(&request.url, self.variables, &mut typer, &mut fields);
        let mut params = url.params;
        params.extend(self.query_params(&request.url.query, item_path, &mut typer, &mut fields));
        // A JSON or text body sets its own content type; otherwise a declared header goes as
        // it is (a form that has fields replaces it with its own).
        let has_body = matches!(
            body,
            Body::Json { .. } | Body::Raw { .. } | Body::GraphQl { .. }
        );
        let headers = self.headers(
            &request.headers,
            has_body,
            item_path,
            &mut typer,
            &mut fields,
        );
        params.extend(headers.params);
        // A hand-written `Authorization` header is the auth where none is declared.
        let auth = match resolve(inherited.auth, item_path, self.diags) {
            Auth::None => headers.authorization.map_or(Auth::None, from_header),
            declared => declared,
        };
        let examples: Vec<&collection::Example> = item.responses.iter().collect();
        let responses = lower_responses(&examples, &mut typer, item_path, self.diags);
        let server = url.server;
        self.servers
            .entry(server.key.clone())
            .or_insert_with(|| (server.clone(), 0))
            .1 += 1;
        let (pre_request, test, scripts) = self.operation_scripts(&item.scripts, item_path);
        self.require_captured(&mut params);
        Operation {
            ident,
            item_path: item_path.to_vec(),
            doc: request.description.clone(),
            method,
            server: server.key,
            path: url.path,
            segments: url.segments,
            params,
            fixed_headers: headers.fixed,
            auth,
            request_auth: request
                .auth
                .as_ref()
                .filter(|auth| auth.kind != collection::AuthKind::Inherit)
                .map(|auth| auth.kind.name().to_owned()),
            body,
            responses,
            types: typer.defs,
            pre_request,
            test,
            scripts,
            paging: None,
            paging_note: None,
        }
    }

    /// The query parameters: one per key, in the order Postman sends them.
    fn query_params(
        &mut self,
        pairs: &[KeyValue],
        item_path: &[String],
        typer: &mut Typer,
        fields: &mut Namespace,
    ) -> Vec<Param> {
        // Query values are written as URL text (`urn%3Ali`); the fields hold what they mean.
        let decoded: Vec<Option<String>> = pairs
            .iter()
            .map(|q| q.value.as_deref().map(percent_decoded))
            .collect();
        // Each key with its entries and where it goes on the wire: at its first enabled entry,
        // as Postman sends it (a disabled alternative written first does not move it).
        let mut queries: Vec<(&str, Vec<Entry<'_>>, usize)> = Vec::new();
        for (position, (query, value)) in pairs.iter().zip(&decoded).enumerate() {
            if query.key.is_empty() {
                self.diags.warn(
                    item_path,
                    &query.location,
                    "query parameter without a key; dropped",
                );
                continue;
            }
            let entry = Entry {
                key: &query.key,
                value: value.as_deref(),
                description: query.description.as_deref(),
                required: false,
                disabled: query.disabled,
            };
            match queries.iter_mut().find(|(key, _, _)| *key == query.key) {
                Some((_, entries, at)) => {
                    if entries.iter().all(|e| e.disabled) && !query.disabled {
                        *at = position;
                    }
                    entries.push(entry);
                }
                None => queries.push((&query.key, vec![entry], position)),
            }
        }
        queries.sort_by_key(|(_, _, at)| *at);
        queries
            .iter()
            .map(|(_, entries, _)| query_param(entries, typer, fields))
            .collect()
    }

    /// The headers: typed parameters, fixed headers sent as written, and a hand-written
    /// `Authorization` header.
    fn headers<'h>(
        &mut self,
        headers: &'h [KeyValue],
        has_body: bool,
        item_path: &[String],
        typer: &mut Typer,
        fields: &mut Namespace,
    ) -> Headers<'h> {
        let mut out = Headers {
            params: Vec::new(),
            fixed: Vec::new(),
            authorization: None,
        };
        for header in headers {
            let key = header.key.trim();
            if key.is_empty() || (has_body && key.eq_ignore_ascii_case("content-type")) {
                continue;
            }
            if key.eq_ignore_ascii_case("authorization") {
                if !header.disabled && header.value.is_some() {
                    out.authorization = Some(header);
                }
                continue;
            }
            let value = header.value.as_deref().unwrap_or_default();
            // A value with variables in other text is sent as it is; the client resolves them.
            let mixed = value.contains("{{") && whole_variable(value.trim()).is_none();
            // A credential written literally (`X-Api-Key: abc123`) is the caller's to give,
            // never a constant of the client; the literal stays the example.
            let literal_credential =
                !value.trim().is_empty() && !value.contains("{{") && crate::is_secret_name(key);
            if !header.disabled && (!value.contains("{{") || mixed) && !literal_credential {
                if http::HeaderName::from_bytes(key.as_bytes()).is_ok()
                    && http::HeaderValue::from_str(value).is_ok()
                {
                    out.fixed.push((key.to_owned(), value.to_owned()));
                } else {
                    self.diags.warn(
                        item_path,
                        &header.location,
                        format!("header `{key}` is not a valid HTTP header; dropped"),
                    );
                }
                continue;
            }
            if http::HeaderName::from_bytes(key.as_bytes()).is_err() {
                self.diags.warn(
                    item_path,
                    &header.location,
                    format!("header name `{key}` is not a valid HTTP token; dropped"),
                );
                continue;
            }
            let entry = Entry {
                key,
                value: header.value.as_deref(),
                description: header.description.as_deref(),
                required: !header.disabled,
                disabled: header.disabled,
            };
            out.params
                .push(param(&entry, ParamIn::Header, false, typer, fields));
        }
        out
    }
}
