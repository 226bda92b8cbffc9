//! The generated clients as senders: programs that include the generated modules and send
//! every operation's `Request::example()` to the recording server, one line per operation.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};

use postman_codegen::collection::{Auth, AuthKind, Collection, Item, KeyValue};
use postman_codegen::ir::Module;
use postman_codegen::naming::ident;
use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files::{cargo_toml, write};
use postman_codegen_cli::scratch::{
    all_dependencies, cargo, remove_old_parts, write_workspace_manifest,
};
use proc_macro2::TokenStream;
use quote::quote;

use super::{server_urls, ItemKey, Sent, Subject};

/// Writes the sender programs under `scratch/senders` and starts building them.
/// With `workflow`, the clients are on the runtime crate with its JavaScript engine (`js`).
pub fn start_build(scratch: &Path, subjects: &[Subject], workflow: bool) -> Result<Child, Error> {
    let dir = scratch.join("senders");
    let parts = parts(subjects);
    remove_old_parts(&dir)?;
    let names: Vec<String> = (0..parts.len()).map(|i| format!("part{i}")).collect();
    write_workspace_manifest(&dir, &names)?;
    if workflow {
        // The JavaScript engine pins the versions of crates that `url` uses too: the senders
        // start from the versions the repository's tests resolved.
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|source| Error::Io {
            path: lock.display().to_string(),
            source,
        })?;
    }
    for (name, part) in names.iter().zip(&parts) {
        let crate_dir = dir.join(name);
        // The programs drive the clients on a tokio runtime: the client's tokio, with `rt`.
        let (mut dependencies, mut features) = (all_dependencies(), "");
        if workflow {
            dependencies.push('\n');
            dependencies.push_str(&super::super::compile::runtime_crate());
            features = "default = [\"postman-codegen-runtime/js\"]";
        }
        let manifest = cargo_toml(
            &format!("parity-sender-{name}"),
            "2021",
            false,
            &dependencies,
            features,
        )
        .lines()
        .map(|line| match line.strip_prefix("tokio = ") {
            Some(_) => {
                "tokio = { version = \"1\", features = [\"time\", \"rt\", \"net\"] }\n".to_owned()
            }
            None => format!("{line}\n"),
        })
        .collect::<String>();
        write(&crate_dir.join("Cargo.toml"), &manifest)?;
        for subject in part {
            let file = crate_dir.join("src").join(format!("{}.rs", subject.module));
            write(&file, &subject.code)?;
        }
        let code = program(part)?;
        write(&crate_dir.join("src").join("main.rs"), &code)?;
    }
    cargo()
        .args(["build", "--quiet", "--workspace"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .spawn()
        .map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })
}

/// Waits for the build and runs every program; what each collection's client sent, by
/// module.
pub fn finish_and_run(
    build: &mut Child,
    scratch: &Path,
    subjects: &[Subject],
    origin: &str,
) -> Result<BTreeMap<String, BTreeMap<ItemKey, Sent>>, Error> {
    let dir = scratch.join("senders");
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let status = build.wait().map_err(io)?;
    if !status.success() {
        return Err(Error::Check {
            path: dir.display().to_string(),
            message: "building the sender programs failed".to_owned(),
        });
    }
    let mut sent: BTreeMap<String, BTreeMap<ItemKey, Sent>> = BTreeMap::new();
    for i in 0..parts(subjects).len() {
        let package = format!("parity-sender-part{i}");
        let output = cargo()
            .args(["run", "--quiet", "-p", &package, "--", origin])
            .current_dir(&dir)
            .output()
            .map_err(io)?;
        if !output.status.success() {
            eprintln!(
                "{package} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            if let Some((module, key, outcome)) = parse_line(line) {
                sent.entry(module).or_default().insert(key, outcome);
            }
        }
    }
    Ok(sent)
}

/// `module \t ["Folder","Request"] \t occurrence \t ok N | err message`.
fn parse_line(line: &str) -> Option<(String, ItemKey, Sent)> {
    let mut fields = line.splitn(4, '\t');
    let module = fields.next()?.to_owned();
    let path: Vec<String> = serde_json::from_str(fields.next()?).ok()?;
    let occurrence = fields.next()?.parse().ok()?;
    let outcome = fields.next()?;
    let sent = match outcome.split_once(' ') {
        Some(("ok", id)) => Ok(id.parse().ok()?),
        Some((_, message)) => Err(message.to_owned()),
        None => Err(outcome.to_owned()),
    };
    Some((module, (path, occurrence), sent))
}

/// Lines of generated code per sender program.
const LINES_PER_PART: usize = 150_000;

fn parts(subjects: &[Subject]) -> Vec<Vec<&Subject>> {
    super::super::compile::split_by_lines(subjects, LINES_PER_PART, |s| s.code.lines().count())
}

/// The program of one part: sends each collection's operations in item order.
fn program(part: &[&Subject]) -> Result<String, Error> {
    let includes = part.iter().map(|s| {
        let file = format!("{}.rs", s.module);
        let module = ident(&s.module);
        quote! {
            include!(#file);
            use #module::runtime::Operation as _;
        }
    });
    let senders: Vec<TokenStream> = part.iter().map(|s| collection_sender(s)).collect();
    let tokens = quote! {
        #![allow(warnings, clippy::all)]
        #(#includes)*

        type Sends<'a> = Vec<(&'static str, &'static str, usize, std::pin::Pin<Box<dyn std::future::Future<Output = Result<u64, String>> + 'a>>)>;

        /// The record number the recording server gave a response.
        fn record_of(headers: &http::HeaderMap) -> Result<u64, String> {
            headers
                .get("x-parity-record")
                .and_then(|v| v.to_str().ok()?.parse().ok())
                .ok_or_else(|| "the response has no x-parity-record header".to_owned())
        }

        macro_rules! outcome {
            ($result:expr) => {
                match $result {
                    Ok(response) => record_of(response.headers()),
                    Err(error) => match error.response() {
                        Some(response) => record_of(&response.headers),
                        None => Err(error.to_string()),
                    },
                }
            };
        }

        async fn run(sends: Sends<'_>) {
            for (module, path, occurrence, send) in sends {
                let line = match send.await {
                    Ok(id) => format!("ok {id}"),
                    Err(message) => format!("err {}", message.replace(['\n', '\t'], " ")),
                };
                println!("{module}\t{path}\t{occurrence}\t{line}");
            }
        }

        fn main() {
            let origin = std::env::args().nth(1).unwrap_or_default();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async {
                #(#senders)*
            });
        }
    };
    postman_codegen::emit::format(tokens).map_err(|e| Error::Check {
        path: "parity sender".to_owned(),
        message: format!("the sender program does not format: {e}"),
    })
}

/// The block that sends one collection's operations.
fn collection_sender(subject: &Subject) -> TokenStream {
    let module = ident(&subject.module);
    let module_name = &subject.module;
    let servers = server_urls(&subject.api)
        .into_iter()
        .map(|(key, path)| quote!(.with_server(#key, format!("{origin}{}", #path))));
    let literals = item_literals(&subject.collection);
    // One client per set of literal credentials the items use, the first without any.
    let mut credential_sets = vec![Literals::default()];
    // Given as newman is given them, as an environment, where scripts can overwrite them.
    let environment = serde_json::json!({
        "values": subject
            .undefined
            .iter()
            .map(|(key, value)| serde_json::json!({"key": key, "value": value}))
            .collect::<Vec<_>>()
    })
    .to_string();
    let variables = (!subject.undefined.is_empty())
        .then(|| quote!(.with_environment(#environment).expect("the parity environment reads")));
    // In a workflow run, operations go in the collection's order, each naming its item to the
    // recording server; otherwise in the order of the client's modules.
    let tags = subject.plan.as_ref().map(super::workflow::Plan::tags);
    let order: BTreeMap<ItemKey, usize> = subject
        .plan
        .iter()
        .flat_map(|plan| plan.order.iter().enumerate())
        .map(|(i, (key, _))| (key.clone(), i))
        .collect();
    let mut sends = Vec::new();
    let mut seen: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    operations(&subject.api.root, &quote!(#module), &mut |path, op| {
        let occurrence = seen.entry(op.item_path.clone()).or_insert(0);
        let n = *occurrence;
        *occurrence += 1;
        let item = serde_json::to_string(&op.item_path).unwrap_or_default();
        let op_module = ident(&op.ident);
        let own = literals
            .get(&(op.item_path.clone(), n))
            .cloned()
            .unwrap_or_default();
        let client = credential_sets
            .iter()
            .position(|set| *set == own)
            .unwrap_or_else(|| {
                credential_sets.push(own);
                credential_sets.len() - 1
            });
        let key = (op.item_path.clone(), n);
        let send = match tags.as_ref().and_then(|tags| tags.get(&key)) {
            Some(tag) => {
                let header = super::workflow::ITEM_HEADER;
                quote! {
                    sends.push((#module_name, #item, #n, Box::pin(async {
                        let client = clients[#client]
                            .clone()
                            .with_default_header(#header, #tag)
                            .map_err(|e| e.to_string())?;
                        outcome!(#path::#op_module::Request::example().send(&client).await)
                    })));
                }
            }
            None => quote! {
                sends.push((#module_name, #item, #n, Box::pin(async {
                    outcome!(#path::#op_module::Request::example().send(&clients[#client]).await)
                })));
            },
        };
        sends.push((order.get(&key).copied().unwrap_or(usize::MAX), send));
    });
    // A stable sort: without a plan every operation keeps its place.
    sends.sort_by_key(|(at, _)| *at);
    let sends = sends.into_iter().map(|(_, send)| send);
    let clients = credential_sets.iter().map(Literals::setters);
    // newman's copy has its scripts removed unless the run is a workflow; the client does the
    // same.
    let scripts = subject.plan.is_some();
    let seed = super::workflow::SCRIPT_SEED;
    let seed = scripts.then(|| quote!(.with_script_seed(#seed)));
    quote! {
        {
            // newman runs with `--ignore-redirects`: a saved redirect is an answer, not a
            // place to go.
            let http = #module::runtime::reqwest::Client::builder()
                .redirect(#module::runtime::reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client");
            let client = #module::Client::new()
                .with_http_client(http)
                .with_scripts(#scripts) #seed #(#servers)* #variables;
            let clients = [#(client.clone() #clients),*];
            let mut sends: Sends<'_> = Vec::new();
            #(#sends)*
            run(sends).await;
        }
    }
}

/// Calls `visit` with each operation and the module path it is in.
fn operations(
    module: &Module,
    path: &TokenStream,
    visit: &mut impl FnMut(&TokenStream, &postman_codegen::ir::Operation),
) {
    for op in &module.operations {
        visit(path, op);
    }
    for child in &module.modules {
        let name = ident(&child.ident);
        operations(child, &quote!(#path::#name), visit);
    }
}

/// The literal credentials newman sends for one item, which generated code leaves out; the
/// client is given them as a user would.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Literals {
    token: Option<String>,
    basic: Option<(String, String)>,
    api_key: Option<String>,
    /// Settings of a signing scheme (`consumerSecret`, ...) that generated code leaves out.
    params: Vec<(String, String)>,
}

impl Literals {
    /// What `block` holds literally (credentials written as variables are the client's to
    /// resolve, so they are not given); `None` where the generator sends no credentials for
    /// the block (`noauth`, kinds it does not support, a signing scheme without its key), so
    /// that a hand-written header applies.
    fn of_block(block: &Auth) -> Option<Self> {
        let literal = |text: Option<&str>| {
            let text = text.unwrap_or_default();
            (!text.contains("{{")).then(|| text.to_owned())
        };
        let mut literals = Self::default();
        match block.kind {
            AuthKind::Bearer | AuthKind::Jwt => literals.token = literal(block.param("token")),
            AuthKind::OAuth2 => literals.token = literal(block.param("accessToken")),
            AuthKind::Basic => {
                let user = literal(block.param("username"));
                let password = literal(block.param("password"));
                literals.basic = user.zip(password);
            }
            AuthKind::ApiKey => {
                let value = block.param("value").unwrap_or_default();
                literals.api_key = literal(Some(after_prefix(value)));
            }
            AuthKind::OAuth1 | AuthKind::Digest | AuthKind::Hawk
                if block.params.iter().any(|(k, v)| {
                    matches!(k.as_str(), "consumerKey" | "username" | "authId")
                        && !v.trim().is_empty()
                }) =>
            {
                let names: &[&str] = match block.kind {
                    AuthKind::Digest => &["username", "password"],
                    AuthKind::Hawk => &["authId", "authKey"],
                    _ => &["consumerKey", "consumerSecret", "token", "tokenSecret"],
                };
                literals.params = block
                    .params
                    .iter()
                    .filter(|(name, value)| {
                        names.contains(&name.as_str()) && !value.is_empty() && !value.contains("{{")
                    })
                    .cloned()
                    .collect();
            }
            _ => return None,
        }
        Some(literals)
    }

    /// The token of a hand-written `Authorization: Scheme token` header, or the user and
    /// password of a `Basic` one.
    fn of_header(header: &KeyValue) -> Self {
        use base64::Engine as _;
        let value = header.value.as_deref().unwrap_or_default().trim();
        let token = after_prefix(value);
        if token.contains("{{") {
            return Self::default();
        }
        if !value.to_ascii_lowercase().starts_with("basic ") {
            return Self {
                token: Some(token.to_owned()),
                ..Self::default()
            };
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(token.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        Self {
            basic: decoded.and_then(|pair| {
                let (user, password) = pair.split_once(':')?;
                Some((user.to_owned(), password.to_owned()))
            }),
            ..Self::default()
        }
    }

    fn setters(&self) -> TokenStream {
        let token = self.token.as_ref().map(|t| quote!(.with_bearer_token(#t)));
        let basic = self
            .basic
            .as_ref()
            .map(|(u, p)| quote!(.with_basic_auth(#u, #p)));
        let api_key = self.api_key.as_ref().map(|k| quote!(.with_api_key(#k)));
        let params = self
            .params
            .iter()
            .map(|(name, value)| quote!(.with_auth_param(#name, #value)));
        quote!(#token #basic #api_key #(#params)*)
    }
}

/// Each request item's literal credentials, from the auth block in effect (request, folder
/// or collection, as the generator inherits it) or else its `Authorization` header.
fn item_literals(collection: &Collection) -> BTreeMap<ItemKey, Literals> {
    fn own(auth: Option<&Auth>) -> Option<&Auth> {
        auth.filter(|a| a.kind != AuthKind::Inherit)
    }
    fn walk(
        items: &[Item],
        inherited: Option<&Auth>,
        path: &mut Vec<String>,
        out: &mut BTreeMap<ItemKey, Literals>,
    ) {
        for item in items {
            match item {
                Item::Folder(folder) => {
                    path.push(folder.name.clone());
                    let auth = own(folder.auth.as_ref()).or(inherited);
                    walk(&folder.items, auth, path, out);
                    path.pop();
                }
                Item::Request(request) => {
                    path.push(request.name.clone());
                    let auth = own(request.request.auth.as_ref()).or(inherited);
                    let header = request.request.headers.iter().find(|h| {
                        !h.disabled && h.key.trim().eq_ignore_ascii_case("authorization")
                    });
                    let literals = match (auth.and_then(Literals::of_block), header) {
                        (Some(literals), _) => literals,
                        (None, Some(header)) => Literals::of_header(header),
                        (None, None) => Literals::default(),
                    };
                    let occurrence = (0..).find(|n| !out.contains_key(&(path.clone(), *n)));
                    out.insert((path.clone(), occurrence.unwrap_or_default()), literals);
                    path.pop();
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(
        &collection.items,
        collection.auth.as_ref(),
        &mut Vec::new(),
        &mut out,
    );
    out
}

/// The credential after the scheme of a header value: from the first `{{`, or after the
/// first word (the generator reads the prefix the same way).
fn after_prefix(value: &str) -> &str {
    if let Some(start) = value.find("{{") {
        return &value[start..];
    }
    value.split_once(' ').map_or(value, |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_lines_parse() {
        let (module, key, sent) =
            parse_line("zoom_api\t[\"Users\",\"Get\"]\t1\tok 42").expect("a line");
        assert_eq!(module, "zoom_api");
        assert_eq!(key, (vec!["Users".to_owned(), "Get".to_owned()], 1));
        assert_eq!(sent, Ok(42));
        let (_, _, sent) = parse_line("m\t[]\t0\terr no base URL").expect("a line");
        assert_eq!(sent, Err("no base URL".to_owned()));
    }

    #[test]
    fn credentials_follow_the_scheme_word_or_the_variable() {
        assert_eq!(after_prefix("Zoho-oauthtoken {{t}}"), "{{t}}");
        assert_eq!(after_prefix("Bearer abc"), "abc");
        assert_eq!(after_prefix("abc"), "abc");
    }
}
