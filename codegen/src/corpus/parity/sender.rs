//! The generated clients as senders: programs that include the generated modules and send
//! every operation's `Request::example()` to the recording server, one line per operation.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};

use postman_codegen::collection::{Auth, Collection, Item, KeyValue};
use postman_codegen::ir::{substitute, Module};
use postman_codegen::naming::ident;
use postman_codegen::Error;
use proc_macro2::TokenStream;
use quote::quote;

use super::{server_urls, ItemKey, Sent, Subject};

/// Writes the sender programs under `scratch/senders` and starts building them.
pub fn start_build(scratch: &Path, subjects: &[Subject]) -> Result<Child, Error> {
    let dir = scratch.join("senders");
    let parts = parts(subjects);
    super::super::remove_old_parts(&dir)?;
    let names: Vec<String> = (0..parts.len()).map(|i| format!("part{i}")).collect();
    super::super::write_workspace_manifest(&dir, &names)?;
    for (name, part) in names.iter().zip(&parts) {
        let crate_dir = dir.join(name);
        // The programs drive the clients on a tokio runtime: the client's tokio, with `rt`.
        let manifest = crate::cargo_toml(&format!("parity-sender-{name}"), "2021", false)
            .lines()
            .map(|line| match line.strip_prefix("tokio = ") {
                Some(_) => "tokio = { version = \"1\", features = [\"time\", \"rt\", \"net\"] }\n"
                    .to_owned(),
                None => format!("{line}\n"),
            })
            .collect::<String>();
        crate::write(&crate_dir.join("Cargo.toml"), &manifest)?;
        for subject in part {
            let file = crate_dir.join("src").join(format!("{}.rs", subject.module));
            crate::write(&file, &subject.code)?;
        }
        let code = program(part).map_err(|e| Error::Emit {
            file: "parity sender".to_owned(),
            message: e.to_string(),
        })?;
        crate::write(&crate_dir.join("src").join("main.rs"), &code)?;
    }
    super::super::cargo()
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
        return Err(io(std::io::Error::other(
            "building the sender programs failed",
        )));
    }
    let mut sent: BTreeMap<String, BTreeMap<ItemKey, Sent>> = BTreeMap::new();
    for i in 0..parts(subjects).len() {
        let package = format!("parity-sender-part{i}");
        let output = super::super::cargo()
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
fn program(part: &[&Subject]) -> Result<String, syn::Error> {
    let includes = part.iter().map(|s| {
        let file = format!("{}.rs", s.module);
        quote!(include!(#file);)
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
    postman_codegen::emit::format(tokens)
}

/// The block that sends one collection's operations.
fn collection_sender(subject: &Subject) -> TokenStream {
    let module = ident(&subject.module);
    let module_name = &subject.module;
    let servers = server_urls(&subject.api)
        .into_iter()
        .map(|(key, path)| quote!(.with_server(#key, format!("{origin}{}", #path))));
    let credentials = credentials(&subject.collection);
    let variables = subject
        .undefined
        .iter()
        .map(|(name, value)| quote!(.with_variable(#name, #value)));
    let mut sends = Vec::new();
    let mut seen: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    operations(&subject.api.root, &quote!(#module), &mut |path, op| {
        let occurrence = seen.entry(op.item_path.clone()).or_insert(0);
        let n = *occurrence;
        *occurrence += 1;
        let item = serde_json::to_string(&op.item_path).unwrap_or_default();
        let op_module = ident(&op.ident);
        sends.push(quote! {
            sends.push((#module_name, #item, #n, Box::pin(async {
                outcome!(#path::#op_module::Request::example().send(&client).await)
            })));
        });
    });
    quote! {
        {
            let client = #module::Client::new() #(#servers)* #(#variables)* #credentials;
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

/// The literal credentials newman sends, given to the client as a user would: the first
/// token, basic pair and API key of the collection's auth blocks and `Authorization`
/// headers, with collection variables resolved.
fn credentials(collection: &Collection) -> TokenStream {
    let mut blocks: Vec<&Auth> = collection.auth.iter().collect();
    let mut headers: Vec<&KeyValue> = Vec::new();
    gather(&collection.items, &mut blocks, &mut headers);
    let resolve = |text: &str| substitute(text, &collection.variables);
    let mut token = None;
    let mut basic = None;
    let mut api_key = None;
    for block in blocks {
        match block.kind.as_str() {
            "bearer" | "jwt" => token = token.or(block.param("token").map(resolve)),
            "oauth2" => token = token.or(block.param("accessToken").map(resolve)),
            "basic" => {
                basic = basic.or_else(|| {
                    let user = resolve(block.param("username").unwrap_or_default());
                    Some((user, resolve(block.param("password").unwrap_or_default())))
                });
            }
            "apikey" => {
                api_key = api_key.or_else(|| {
                    let value = block.param("value").unwrap_or_default();
                    Some(resolve(after_prefix(value)))
                });
            }
            _ => {}
        }
    }
    for header in headers {
        let value = header.value.as_deref().unwrap_or_default().trim();
        if !value.to_ascii_lowercase().starts_with("basic ") {
            token = token.or_else(|| Some(resolve(after_prefix(value))));
        }
    }
    // Credentials written as variables are the client's to resolve; only literal ones,
    // which generated code leaves out, are given as a user would.
    let literal = |text: &String| !text.contains("{{");
    let token = token
        .filter(literal)
        .map(|t| quote!(.with_bearer_token(#t)));
    let basic = basic
        .filter(|(u, p)| literal(u) && literal(p))
        .map(|(u, p)| quote!(.with_basic_auth(#u, #p)));
    let api_key = api_key.filter(literal).map(|k| quote!(.with_api_key(#k)));
    quote!(#token #basic #api_key)
}

/// The credential after the scheme of a header value: from the first `{{`, or after the
/// first word (the generator reads the prefix the same way).
fn after_prefix(value: &str) -> &str {
    if let Some(start) = value.find("{{") {
        return &value[start..];
    }
    value.split_once(' ').map_or(value, |(_, rest)| rest)
}

fn gather<'a>(items: &'a [Item], blocks: &mut Vec<&'a Auth>, headers: &mut Vec<&'a KeyValue>) {
    for item in items {
        match item {
            Item::Folder(folder) => {
                blocks.extend(&folder.auth);
                gather(&folder.items, blocks, headers);
            }
            Item::Request(request) => {
                blocks.extend(&request.request.auth);
                headers.extend(
                    request.request.headers.iter().filter(|h| {
                        !h.disabled && h.key.trim().eq_ignore_ascii_case("authorization")
                    }),
                );
            }
        }
    }
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
