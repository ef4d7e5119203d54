//! One streaming XML reader for the doctor's XML inputs (run history, events, .config
//! files): quick-xml over `Utf8Reader`, so a file is never held whole in memory. It hands
//! out start tags (local name and attributes), end tags and text with entity references
//! resolved; an empty element comes as a start and an end. Errors name the file and line.
use super::text::{line_at, Utf8Reader};
use super::InputError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

pub enum Item {
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
    Eof,
}

pub struct XmlStream {
    path: PathBuf,
    reader: Reader<BufReader<Utf8Reader<File>>>,
    buf: Vec<u8>,
    /// The end of an empty element, handed out after its start.
    pending_end: Option<String>,
    depth: usize,
    /// Names of the open elements (for "ends inside <x>").
    open: Vec<String>,
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

impl XmlStream {
    pub fn open(path: &Path) -> Result<XmlStream, InputError> {
        let f = File::open(path).map_err(|e| InputError::io(path, &e))?;
        let reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, Utf8Reader::new(f)));
        Ok(XmlStream {
            path: path.to_path_buf(),
            reader,
            buf: Vec::with_capacity(4096),
            pending_end: None,
            depth: 0,
            open: Vec::new(),
        })
    }

    /// The line the reader has got to, for errors found in the content.
    pub fn line(&self) -> Option<usize> {
        line_at(&self.path, self.reader.buffer_position())
    }

    /// An error in the content at the current position.
    pub fn error(&self, what: impl Into<String>, fix: impl Into<String>) -> InputError {
        InputError::new(&self.path, self.line(), what, fix)
    }

    fn syntax(&self, e: impl std::fmt::Display) -> InputError {
        InputError::new(
            &self.path,
            line_at(&self.path, self.reader.error_position()),
            format!("not well-formed XML: {e}"),
            "collect the file again; it must be complete XML as the tool wrote it",
        )
    }

    fn attrs(
        &self,
        e: &quick_xml::events::BytesStart<'_>,
    ) -> Result<Vec<(String, String)>, InputError> {
        let mut out = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| self.syntax(e))?;
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.syntax(e))?;
            out.push((local(a.key.as_ref()), v.into_owned()));
        }
        Ok(out)
    }

    pub fn next(&mut self) -> Result<Item, InputError> {
        if let Some(end) = self.pending_end.take() {
            return Ok(Item::End(end));
        }
        loop {
            self.buf.clear();
            let ev = self.reader.read_event_into(&mut self.buf);
            let ev = match ev {
                Ok(ev) => ev.into_owned(),
                Err(e) => return Err(self.syntax(e)),
            };
            return Ok(match ev {
                Event::Start(e) => {
                    let name = local(e.local_name().as_ref());
                    let attrs = self.attrs(&e)?;
                    self.depth += 1;
                    self.open.push(name.clone());
                    Item::Start(name, attrs)
                }
                Event::Empty(e) => {
                    let name = local(e.local_name().as_ref());
                    let attrs = self.attrs(&e)?;
                    self.pending_end = Some(name.clone());
                    Item::Start(name, attrs)
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.open.pop();
                    Item::End(local(e.local_name().as_ref()))
                }
                Event::Text(t) => Item::Text(t.xml10_content().into_owned()),
                Event::CData(t) => Item::Text(t.xml10_content().into_owned()),
                Event::GeneralRef(r) => {
                    let c = match r.resolve_char_ref().map_err(|e| self.syntax(e))? {
                        Some(c) => c.to_string(),
                        None => match r.as_ref() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            other => return Err(self.syntax(format!("unknown entity &{other};"))),
                        },
                    };
                    Item::Text(c)
                }
                Event::Eof => {
                    if let Some(open) = self.open.last() {
                        return Err(self.error(
                            format!(
                                "not well-formed XML: the file ends inside <{open}> (cut short?)"
                            ),
                            "collect the file again; it must be complete XML as the tool wrote it",
                        ));
                    }
                    Item::Eof
                }
                _ => continue,
            });
        }
    }
}
