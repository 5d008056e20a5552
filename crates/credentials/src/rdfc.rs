//! The transformation of `eddsa-rdfc-2022`: JSON-LD → RDF (oxjsonld, JSON-LD 1.1, shipped
//! contexts only) → RDFC-1.0 canonical N-Quads (rdf-canon).
//!
//! rdf-canon is built on oxrdf 0.2 and oxjsonld on oxrdf 0.3, so quads are carried across by
//! their parts; both represent the same RDF 1.1 terms.

use std::collections::HashSet;
use std::sync::OnceLock;

use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
use serde_json::Value;

use crate::contexts;

/// Canonical N-Quads of a JSON-LD document, or why it cannot be canonicalised.
pub(crate) fn canonicalize(document: &Value) -> Result<String, String> {
    if let [first, ..] = undefined_members(document).as_slice() {
        return Err(format!(
            "{first} is not defined by the shipped contexts (or is not an absolute IRI): JSON-LD would drop it and it would go unsigned"
        ));
    }
    let bytes = serde_json::to_vec(document).map_err(|e| e.to_string())?;
    let parser =
        JsonLdParser::new().for_slice(&bytes).with_load_document_callback(|url, _| match contexts::shipped(url) {
            Some(text) => {
                Ok(JsonLdRemoteDocument { document: text.as_bytes().to_vec(), document_url: url.to_string() })
            }
            None => Err(format!("context {url} is not shipped with gongjiang and is never fetched").into()),
        });
    let mut quads = Vec::new();
    for quad in parser {
        let quad = quad.map_err(|e| format!("JSON-LD: {e}"))?;
        quads.push(convert_quad(&quad)?);
    }
    rdf_canon::canonicalize_quads(&quads).map_err(|e| format!("RDFC-1.0: {e}"))
}

fn convert_quad(quad: &oxrdf::Quad) -> Result<rdf_canon_oxrdf::Quad, String> {
    use rdf_canon_oxrdf as old;
    let subject: old::Subject = match &quad.subject {
        oxrdf::NamedOrBlankNode::NamedNode(n) => named(n).into(),
        oxrdf::NamedOrBlankNode::BlankNode(b) => blank(b)?.into(),
    };
    let object: old::Term = match &quad.object {
        oxrdf::Term::NamedNode(n) => named(n).into(),
        oxrdf::Term::BlankNode(b) => blank(b)?.into(),
        oxrdf::Term::Literal(l) => literal(l).into(),
        #[allow(unreachable_patterns)]
        _ => return Err("RDF-star terms are not supported".into()),
    };
    let graph: old::GraphName = match &quad.graph_name {
        oxrdf::GraphName::DefaultGraph => old::GraphName::DefaultGraph,
        oxrdf::GraphName::NamedNode(n) => named(n).into(),
        oxrdf::GraphName::BlankNode(b) => blank(b)?.into(),
    };
    Ok(old::Quad::new(subject, named(&quad.predicate), object, graph))
}

fn named(node: &oxrdf::NamedNode) -> rdf_canon_oxrdf::NamedNode {
    rdf_canon_oxrdf::NamedNode::new_unchecked(node.as_str())
}

fn blank(node: &oxrdf::BlankNode) -> Result<rdf_canon_oxrdf::BlankNode, String> {
    rdf_canon_oxrdf::BlankNode::new(node.as_str()).map_err(|e| e.to_string())
}

fn literal(literal: &oxrdf::Literal) -> rdf_canon_oxrdf::Literal {
    if let Some(language) = literal.language() {
        rdf_canon_oxrdf::Literal::new_language_tagged_literal_unchecked(literal.value(), language)
    } else {
        rdf_canon_oxrdf::Literal::new_typed_literal(literal.value(), named(&literal.datatype().into_owned()))
    }
}

/// JSON-LD keywords a document may use as member names.
const KEYWORDS: [&str; 14] = [
    "@context",
    "@id",
    "@type",
    "@value",
    "@language",
    "@direction",
    "@list",
    "@set",
    "@graph",
    "@included",
    "@index",
    "@json",
    "@nest",
    "@reverse",
];

/// Every term any shipped context defines, at any depth (scoped contexts included).
fn defined_terms() -> &'static HashSet<String> {
    static TERMS: OnceLock<HashSet<String>> = OnceLock::new();
    TERMS.get_or_init(|| {
        let mut terms = HashSet::new();
        for url in contexts::urls() {
            if let Some(Ok(value)) = contexts::shipped(url).map(serde_json::from_str::<Value>) {
                collect_terms(&value, &mut terms);
            }
        }
        terms
    })
}

fn collect_terms(value: &Value, terms: &mut HashSet<String>) {
    let Value::Object(map) = value else { return };
    for (key, definition) in map {
        if key == "@context" {
            if let Value::Object(context) = definition {
                for (term, inner) in context {
                    if !term.starts_with('@') {
                        terms.insert(term.clone());
                    }
                    collect_terms(inner, terms);
                }
            }
        } else {
            collect_terms(definition, terms);
        }
    }
}

/// Members that JSON-LD expansion would drop, so that `eddsa-rdfc-2022` would not sign them
/// although a reader of the JSON sees them (the check jsonld.js calls "safe mode"): names that
/// are neither keywords, nor terms of the shipped contexts, nor absolute or compact IRIs; `id`
/// values that are not absolute IRIs; null values and empty objects. Conservative: a defined term used where its scope
/// does not reach passes here and is caught by nothing — our own credentials use none.
pub(crate) fn undefined_members(document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(document, String::new(), &mut found);
    found
}

fn walk(value: &Value, path: String, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "@context" {
                    continue;
                }
                let here = format!("{path}/{key}");
                let known = if key.starts_with('@') {
                    KEYWORDS.contains(&key.as_str())
                } else {
                    defined_terms().contains(key) || key.contains(':')
                };
                if !known {
                    found.push(here.clone());
                }
                if (key == "id" || key == "@id") && inner.as_str().is_some_and(|id| !is_absolute_iri(id)) {
                    found.push(here.clone());
                }
                // Expansion drops a null value and an empty object: `"name": null` or
                // `"evidence": [{}]` would reach a reader unsigned. (An empty list stays: it
                // says "none", as the signed graph does.)
                if inner.is_null() || inner.as_object().is_some_and(|o| o.is_empty()) {
                    found.push(here.clone());
                }
                walk(inner, here, found);
            }
        }
        Value::Array(list) => {
            for (index, inner) in list.iter().enumerate() {
                let here = format!("{path}/{index}");
                if inner.is_null() || inner.as_object().is_some_and(|o| o.is_empty()) {
                    found.push(here.clone());
                }
                walk(inner, here, found);
            }
        }
        _ => {}
    }
}

/// `scheme:…` with a scheme of RFC 3986 characters.
fn is_absolute_iri(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}
