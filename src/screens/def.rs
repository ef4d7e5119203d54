//! The typed form of one screen file.
use serde::{Deserialize, Serialize};

/// The MIM component a flow sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    Sync,
    ServicePortal,
}

impl Component {
    pub const ALL: [Component; 2] = [Component::Sync, Component::ServicePortal];

    /// The value used in profiles and screen files.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Sync => "sync",
            Component::ServicePortal => "service-portal",
        }
    }

    pub fn parse(s: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The product's own name for the component.
    pub fn display_name(self) -> &'static str {
        match self {
            Component::Sync => "Synchronization Service",
            Component::ServicePortal => "Service and Portal",
        }
    }
}

/// How a screen is drawn; most are forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScreenKind {
    #[default]
    Form,
    /// A scrolling text (from `licence`) above the form.
    Licence,
    /// All answers of the flow, read-only; Next installs.
    Summary,
    /// The end: where the profile and the plan were written.
    Finish,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenDef {
    /// Also the profile's section name for the screen's fields.
    pub id: String,
    pub title: String,
    /// The short label in the step list.
    pub step: String,
    /// Position in the flow; screens are shown in ascending order.
    pub order: u32,
    pub components: Vec<Component>,
    #[serde(default)]
    pub kind: ScreenKind,
    #[serde(default)]
    pub intro: String,
    /// The F1 text, taken from the seed walkthrough.
    pub help: String,
    /// Where the seeds' walkthroughs do this step (the demo's narration); empty for
    /// mim-setup's own screens.
    #[serde(default)]
    pub walkthrough: String,
    /// For licence screens: a text file in `screens/`.
    #[serde(default)]
    pub licence: Option<String>,
    /// Filled in by the registry from `licence`.
    #[serde(skip)]
    pub licence_text: String,
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Rules that relate several fields of this screen (code in `rules/`).
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    /// A message setup itself shows at this point of its flow, as the seeds place it.
    #[serde(default)]
    pub setup_message: Option<SetupMessage>,
}

/// When setup shows its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageAt {
    /// On Next, after the screen's own warnings: the wizard goes on once it is read.
    Next,
    /// On arriving at the screen (the finish screen: setup's last message).
    Enter,
}

/// A popup of setup's own, shown at the same point as setup shows it: what setup says (or,
/// where the seeds do not quote it, what it is about, never invented words), what it means,
/// and what mim-setup's plan does about it. `{screen.field}` in a text is the answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupMessage {
    pub at: MessageAt,
    pub title: String,
    /// What setup shows, and where the seeds say so.
    pub setup: String,
    pub means: String,
    pub plan: String,
}

impl ScreenDef {
    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn is_for(&self, component: Component) -> bool {
        self.components.contains(&component)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// A password: typed masked, never stored; the profile keeps a reference.
    Secret,
    /// One of `options`.
    Choice,
    /// On or off.
    Checkbox,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    pub help: String,
    /// Setup's own default, if it has one; a new run starts with it as the answer.
    #[serde(default)]
    pub default: Option<DefaultValue>,
    /// The walkthrough's value (Contoso's), for text fields: shown dimmed in an empty field
    /// ("e.g. corpsql.contoso.com") and taken with Right, never an answer by itself.
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    #[serde(default)]
    pub when: Vec<Condition>,
    #[serde(default)]
    pub disabled_when: Vec<Condition>,
    #[serde(default)]
    pub rules: Vec<String>,
    /// An optional field may stay empty; every other shown field must be answered.
    #[serde(default)]
    pub optional: bool,
    /// Secret fields: the environment variable a new reference names.
    #[serde(default)]
    pub env: Option<String>,
}

impl FieldDef {
    pub fn option(&self, value: &str) -> Option<&ChoiceOption> {
        self.options.iter().find(|o| o.value == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum DefaultValue {
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    /// An option shown but not selectable yet (with `note` saying why).
    #[serde(default = "yes")]
    pub available: bool,
    #[serde(default)]
    pub note: String,
}

fn yes() -> bool {
    true
}

/// `{ field = "sql.location", is = "remote" }`, or `is_not`; a list of them means all hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// `screen.field`
    pub field: String,
    #[serde(default)]
    pub is: Option<CondValue>,
    #[serde(default)]
    pub is_not: Option<CondValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum CondValue {
    Bool(bool),
    Text(String),
    /// Any of these values.
    AnyOf(Vec<String>),
}

impl CondValue {
    /// The option values this condition names (empty for a checkbox condition).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            CondValue::Bool(_) => Vec::new(),
            CondValue::Text(s) => vec![s.as_str()],
            CondValue::AnyOf(v) => v.iter().map(String::as_str).collect(),
        }
    }
}
