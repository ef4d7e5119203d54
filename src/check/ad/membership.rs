//! Group membership, nested included: which groups an object is in (its tokenGroups), and
//! the path through which it is in each (account -> group -> group), for the evidence.
//!
//! ```text
//!   member_of  tokenGroups (one base read) against the groups' SIDs, or the in-chain rule
//!   graph      memberOf upward from the object, security groups only, at most LIMIT groups
//!   paths      the shortest path to each target in that graph (pure)
//! ```
//! Distribution groups are not walked: they are not in logon tokens, so membership through
//! them grants nothing, as tokenGroups itself says.
use super::dir::{self, escape, Dir, DirError};
use super::sd::Sid;
use ldap3::Scope;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Groups read at most, for one object's paths (a bound on a pathological directory).
const LIMIT: usize = 64;

/// Which of `names` an object belongs to, nested included: the object's tokenGroups (a base
/// read, as cheap with 10,000 users as with 100) against the groups' SIDs (one indexed
/// search); without tokenGroups, the in-chain matching rule (LDAP_MATCHING_RULE_IN_CHAIN).
pub async fn member_of(
    dir: &mut Dir<'_>,
    dn: &str,
    names: &[&str],
) -> Result<Vec<String>, DirError> {
    let base = dir.base.clone();
    let token: Vec<Sid> = dir
        .read(dn, &["tokenGroups"])
        .await?
        .iter()
        .flat_map(|e| dir::binary(e, "tokenGroups"))
        .filter_map(|b| Sid::from_bytes(&b).ok())
        .collect();
    let filter = if token.is_empty() {
        format!(
            "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={}))",
            escape(dn)
        )
    } else {
        let any: String = names
            .iter()
            .map(|n| format!("(sAMAccountName={})", escape(n)))
            .collect();
        format!("(&(objectClass=group)(|{any}))")
    };
    Ok(dir
        .search(
            &base,
            Scope::Subtree,
            &filter,
            &["sAMAccountName", "objectSid"],
        )
        .await?
        .iter()
        .filter(|e| token.is_empty() || dir::sid(e).is_some_and(|s| token.contains(&s)))
        .filter_map(|e| dir::text(e, "sAMAccountName").map(str::to_string))
        .collect())
}

/// One object of the membership graph.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub name: String,
    pub sid: Option<Sid>,
    /// The DNs of the groups it is a direct member of.
    pub member_of: Vec<String>,
}

/// The graph upward from `dn`: the object and the security groups it is in, directly or
/// through other security groups. Keys are DNs in lower case.
pub async fn graph(dir: &mut Dir<'_>, dn: &str) -> Result<BTreeMap<String, Node>, DirError> {
    let mut nodes = BTreeMap::new();
    let mut visited = BTreeSet::new();
    let mut queue = VecDeque::from([(dn.to_string(), true)]);
    while let Some((at, start)) = queue.pop_front() {
        if visited.len() > LIMIT || !visited.insert(at.to_ascii_lowercase()) {
            continue;
        }
        let Some(e) = dir
            .read(
                &at,
                &["sAMAccountName", "objectSid", "memberOf", "groupType"],
            )
            .await?
        else {
            continue;
        };
        let security = dir::number(&e, "groupType").is_some_and(|t| t & 0x8000_0000 != 0);
        if !start && !security {
            continue;
        }
        let node = Node {
            name: dir::text(&e, "sAMAccountName").unwrap_or(&at).to_string(),
            sid: dir::sid(&e),
            member_of: dir::texts(&e, "memberOf")
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        queue.extend(node.member_of.iter().map(|g| (g.clone(), false)));
        nodes.insert(at.to_ascii_lowercase(), node);
    }
    Ok(nodes)
}

/// The shortest path from `start` to each node `is_target` accepts, as names
/// (`MIMService`, `MIMSSPRAdmins`, `MIMSyncAdmins`), in breadth-first order.
pub fn paths(
    nodes: &BTreeMap<String, Node>,
    start: &str,
    is_target: impl Fn(&Node) -> bool,
) -> Vec<Vec<String>> {
    let key = start.to_ascii_lowercase();
    let mut prev: BTreeMap<String, Option<String>> = BTreeMap::from([(key.clone(), None)]);
    let mut queue = VecDeque::from([key.clone()]);
    let mut out = Vec::new();
    while let Some(at) = queue.pop_front() {
        let Some(node) = nodes.get(&at) else {
            continue;
        };
        if at != key && is_target(node) {
            let mut path = vec![node.name.clone()];
            let mut cur = prev.get(&at).cloned().flatten();
            while let Some(p) = cur {
                path.push(nodes.get(&p).map_or_else(|| p.clone(), |n| n.name.clone()));
                cur = prev.get(&p).cloned().flatten();
            }
            path.reverse();
            out.push(path);
        }
        for g in &node.member_of {
            let g = g.to_ascii_lowercase();
            if nodes.contains_key(&g) && !prev.contains_key(&g) {
                prev.insert(g.clone(), Some(at.clone()));
                queue.push_back(g);
            }
        }
    }
    out
}

/// `MIMService → MIMSSPRAdmins → MIMSyncAdmins`.
pub fn path_text(path: &[String]) -> String {
    path.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, member_of: &[&str]) -> (String, Node) {
        (
            format!("cn={},dc=x", name.to_ascii_lowercase()),
            Node {
                name: name.into(),
                sid: None,
                member_of: member_of.iter().map(|g| format!("CN={g},DC=x")).collect(),
            },
        )
    }

    fn run(nodes: &[(String, Node)], targets: &[&str]) -> Vec<String> {
        let g: BTreeMap<String, Node> = nodes.iter().cloned().collect();
        paths(&g, "CN=Svc,DC=x", |n| targets.contains(&n.name.as_str()))
            .iter()
            .map(|p| path_text(p))
            .collect()
    }

    #[test]
    fn the_shortest_path_to_each_group() {
        let direct = [node("Svc", &["Admins"]), node("Admins", &[])];
        assert_eq!(run(&direct, &["Admins"]), ["Svc → Admins"]);
        let nested = [
            node("Svc", &["Inner"]),
            node("Inner", &["Middle"]),
            node("Middle", &["Admins"]),
            node("Admins", &[]),
        ];
        assert_eq!(run(&nested, &["Admins"]), ["Svc → Inner → Middle → Admins"]);
        // Two ways in: the shorter one is shown.
        let two = [
            node("Svc", &["Inner", "Admins"]),
            node("Inner", &["Admins"]),
            node("Admins", &[]),
        ];
        assert_eq!(run(&two, &["Admins"]), ["Svc → Admins"]);
        // A cycle ends.
        let cycle = [
            node("Svc", &["A"]),
            node("A", &["B"]),
            node("B", &["A", "Browse"]),
            node("Browse", &[]),
        ];
        assert_eq!(run(&cycle, &["Browse"]), ["Svc → A → B → Browse"]);
        // Several targets, each with its path.
        let both = [
            node("Svc", &["Reset", "Inner"]),
            node("Inner", &["Browse"]),
            node("Reset", &[]),
            node("Browse", &[]),
        ];
        assert_eq!(
            run(&both, &["Reset", "Browse"]),
            ["Svc → Reset", "Svc → Inner → Browse"]
        );
        // A group the graph left out (a distribution group) is no way in.
        let through_list = [node("Svc", &["List"]), node("Admins", &[])];
        assert!(run(&through_list, &["Admins"]).is_empty());
        // The start itself is never a path, and an unknown start gives none.
        assert!(run(&direct, &["Svc"]).is_empty());
        assert!(run(&[], &["Admins"]).is_empty());
    }
}
