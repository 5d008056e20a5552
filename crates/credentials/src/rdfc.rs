//! The transformation of `eddsa-rdfc-2022`: JSON-LD → RDF (oxjsonld, JSON-LD 1.1, shipped
//! contexts only) → RDFC-1.0 canonical N-Quads (rdf-canon).
//!
//! rdf-canon is built on oxrdf 0.2 and oxjsonld on oxrdf 0.3, so quads are carried across by
//! their parts; both represent the same RDF 1.1 terms.

use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
use serde_json::Value;

use crate::contexts;

/// Canonical N-Quads of a JSON-LD document, or why it cannot be canonicalised.
pub(crate) fn canonicalize(document: &Value) -> Result<String, String> {
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
