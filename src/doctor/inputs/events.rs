//! Windows events as `wevtutil qe LOG /f:xml` writes them: `<Event>` elements one after
//! another (or inside `<Events>` with `/e:Events`), each with `System/Provider@Name`,
//! `System/EventID`, `System/Level`, `System/TimeCreated@SystemTime`, `System/Computer`,
//! `System/Channel`, and `EventData/Data` insertion strings; `/f:RenderedXml` adds
//! `RenderingInfo/Message`, which is kept as the text when present. Streamed.
use super::xml::{Item, XmlStream};
use super::InputError;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WinEvent {
    pub provider: String,
    pub id: u32,
    pub level: u8,
    /// `TimeCreated@SystemTime`, ISO 8601 UTC.
    pub time: String,
    pub computer: String,
    pub channel: String,
    pub data: Vec<String>,
    pub message: Option<String>,
}

impl WinEvent {
    /// The rendered message, else the insertion strings joined.
    pub fn text(&self) -> String {
        match &self.message {
            Some(m) => m.clone(),
            None => self.data.join(" "),
        }
    }
}

/// Every event of one wevtutil XML file.
pub fn read_events(path: &Path, out: &mut Vec<WinEvent>) -> Result<(), InputError> {
    let mut x = XmlStream::open(path)?;
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut ev: Option<WinEvent> = None;
    loop {
        match x.next()? {
            Item::Eof => break,
            Item::Text(t) => text.push_str(&t),
            Item::Start(name, attrs) => {
                text.clear();
                if stack.is_empty() && name != "Event" && name != "Events" {
                    return Err(x.error(
                        format!("not a wevtutil event file: the root element is <{name}>"),
                        "export the log with `wevtutil qe Application /f:xml` (or /f:RenderedXml)",
                    ));
                }
                let get = |n: &str| {
                    attrs
                        .iter()
                        .find(|(k, _)| k == n)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                match name.as_str() {
                    "Event" => ev = Some(WinEvent::default()),
                    "Provider" if stack.last().is_some_and(|p| p == "System") => {
                        if let Some(e) = ev.as_mut() {
                            e.provider = get("Name");
                        }
                    }
                    "TimeCreated" if stack.last().is_some_and(|p| p == "System") => {
                        if let Some(e) = ev.as_mut() {
                            e.time = get("SystemTime");
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Item::End(name) => {
                stack.pop();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text);
                let Some(e) = ev.as_mut() else { continue };
                match (parent, name.as_str()) {
                    (_, "Event") => {
                        if let Some(e) = ev.take() {
                            out.push(e);
                        }
                    }
                    ("System", "EventID") => {
                        e.id = value.trim().parse().map_err(|_| {
                            x.error(
                                format!("EventID {:?} is not a number", value.trim()),
                                "export the log again with wevtutil qe ... /f:xml",
                            )
                        })?
                    }
                    ("System", "Level") => e.level = value.trim().parse().unwrap_or(0),
                    ("System", "Computer") => e.computer = value.trim().to_string(),
                    ("System", "Channel") => e.channel = value.trim().to_string(),
                    ("EventData", "Data") => e.data.push(value.trim().to_string()),
                    ("RenderingInfo", "Message") => e.message = Some(value.trim().to_string()),
                    _ => {}
                }
            }
        }
    }
    Ok(())
}
