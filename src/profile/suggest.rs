//! "Did you mean" hints for unknown keys and values.

/// The candidate closest to `wrong`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w = wrong.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (c, strsim::jaro_winkler(&w, &c.to_ascii_lowercase())))
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_typos_are_suggested() {
        let keys = [
            "server",
            "instance",
            "instance_name",
            "database",
            "location",
        ];
        assert_eq!(did_you_mean("sever", keys), Some("server"));
        assert_eq!(did_you_mean("databse", keys), Some("database"));
        assert_eq!(did_you_mean("Instance_Name", keys), Some("instance_name"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
