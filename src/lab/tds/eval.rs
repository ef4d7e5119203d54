//! The little T-SQL the test server understands: SELECT lists of literals, parameters,
//! @@VERSION, @@SERVERNAME, SERVERPROPERTY, IS_SRVROLEMEMBER, FULLTEXTSERVICEPROPERTY and
//! CAST; and SELECT columns FROM sys.databases, sys.dm_server_services or
//! sys.availability_group_listeners with one WHERE comparison (= or LIKE). Anything else is
//! answered with SQL Server's error for it.
use super::wire::Val;
use super::Facts;

/// A SQL Server error: number, class, message.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlError(pub i32, pub u8, pub String);

/// One result set.
#[derive(Debug, Clone, PartialEq)]
pub struct Set {
    pub cols: Vec<String>,
    pub rows: Vec<Vec<Val>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Num(i64),
    Var(String),
    Sym(char),
}

fn lex(sql: &str) -> Result<Vec<Tok>, SqlError> {
    let c: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '-' && c.get(i + 1) == Some(&'-') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '\'' || ((ch == 'N' || ch == 'n') && c.get(i + 1) == Some(&'\'')) {
            i += if ch == '\'' { 1 } else { 2 };
            let mut s = String::new();
            loop {
                match c.get(i) {
                    None => {
                        return Err(syntax("Unclosed quotation mark after the character string"))
                    }
                    Some('\'') if c.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(x) => {
                        s.push(*x);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(s));
        } else if ch == '[' {
            let end = c[i..]
                .iter()
                .position(|&x| x == ']')
                .ok_or_else(|| syntax("["))?;
            out.push(Tok::Word(c[i + 1..i + end].iter().collect()));
            i += end + 1;
        } else if ch == '@' {
            let start = i;
            i += 1;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_' || c[i] == '@') {
                i += 1;
            }
            out.push(Tok::Var(
                c[start..i].iter().collect::<String>().to_uppercase(),
            ));
        } else if ch.is_ascii_digit() {
            let start = i;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = c[start..i].iter().collect();
            out.push(Tok::Num(s.parse().map_err(|_| syntax(&s))?));
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_' || c[i] == '.') {
                i += 1;
            }
            out.push(Tok::Word(c[start..i].iter().collect()));
        } else if "(),;=*%".contains(ch) {
            out.push(Tok::Sym(ch));
            i += 1;
        } else {
            return Err(syntax(&ch.to_string()));
        }
    }
    Ok(out)
}

fn syntax(near: &str) -> SqlError {
    SqlError(102, 15, format!("Incorrect syntax near '{near}'."))
}

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
}

struct P<'a> {
    t: &'a [Tok],
    i: usize,
    facts: &'a Facts,
    params: &'a [(String, Val)],
}

impl P<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.t.get(self.i).cloned();
        self.i += 1;
        t
    }
    fn expect(&mut self, ch: char) -> Result<(), SqlError> {
        match self.next() {
            Some(Tok::Sym(c)) if c == ch => Ok(()),
            other => Err(syntax(&format!("{other:?}"))),
        }
    }

    fn expr(&mut self) -> Result<(Val, String), SqlError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok((Val::Str(Some(s)), String::new())),
            Some(Tok::Num(n)) => Ok((Val::Int(Some(n as i32)), String::new())),
            Some(Tok::Var(v)) if v == "@@VERSION" => {
                Ok((Val::Str(Some(self.facts.version_text())), String::new()))
            }
            Some(Tok::Var(v)) if v == "@@SERVERNAME" => {
                Ok((Val::Str(Some(self.facts.server_name())), String::new()))
            }
            Some(Tok::Var(v)) => self
                .params
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&v))
                .map(|(_, val)| (val.clone(), String::new()))
                .ok_or_else(|| {
                    SqlError(
                        137,
                        15,
                        format!("Must declare the scalar variable \"{v}\"."),
                    )
                }),
            Some(Tok::Word(f)) => {
                let name = f.to_uppercase();
                self.expect('(')?;
                if name == "CAST" {
                    let (v, _) = self.expr()?;
                    if !is_kw(self.next().as_ref(), "AS") {
                        return Err(syntax("CAST"));
                    }
                    let ty = match self.next() {
                        Some(Tok::Word(t)) => t.to_lowercase(),
                        other => return Err(syntax(&format!("{other:?}"))),
                    };
                    if self.peek() == Some(&Tok::Sym('(')) {
                        self.next();
                        self.next();
                        self.expect(')')?;
                    }
                    self.expect(')')?;
                    let v = match (ty.as_str(), v) {
                        ("int", Val::Str(Some(s))) => Val::Int(Some(s.trim().parse().map_err(|_| SqlError(245, 16, format!("Conversion failed when converting the nvarchar value '{s}' to data type int.")))?)),
                        ("int", Val::Str(None)) => Val::Int(None),
                        ("nvarchar" | "varchar" | "sysname", Val::Int(n)) => Val::Str(n.map(|n| n.to_string())),
                        (_, v) => v,
                    };
                    return Ok((v, String::new()));
                }
                let arg = if self.peek() == Some(&Tok::Sym(')')) {
                    None
                } else {
                    Some(self.expr()?.0)
                };
                self.expect(')')?;
                let text = |v: &Option<Val>| match v {
                    Some(Val::Str(Some(s))) => s.clone(),
                    _ => String::new(),
                };
                let v = match name.as_str() {
                    "SERVERPROPERTY" => self.facts.server_property(&text(&arg)),
                    "IS_SRVROLEMEMBER" => {
                        Val::Int(Some(match text(&arg).to_lowercase().as_str() {
                            "sysadmin" => i32::from(self.facts.sysadmin),
                            "public" => 1,
                            r if [
                                "serveradmin",
                                "securityadmin",
                                "dbcreator",
                                "processadmin",
                                "setupadmin",
                                "bulkadmin",
                                "diskadmin",
                            ]
                            .contains(&r) =>
                            {
                                0
                            }
                            _ => return Ok((Val::Int(None), String::new())),
                        }))
                    }
                    "FULLTEXTSERVICEPROPERTY" => match text(&arg).to_lowercase().as_str() {
                        _ if self.facts.null_properties => Val::Int(None),
                        "isfulltextinstalled" => Val::Int(Some(i32::from(self.facts.fulltext))),
                        _ => Val::Int(None),
                    },
                    "SUSER_SNAME" | "SYSTEM_USER" => Val::Str(Some(self.facts.login.clone())),
                    "DB_NAME" => Val::Str(Some("master".into())),
                    _ => {
                        return Err(SqlError(
                            195,
                            15,
                            format!("'{f}' is not a recognized built-in function name."),
                        ))
                    }
                };
                Ok((v, String::new()))
            }
            other => Err(syntax(&format!("{other:?}"))),
        }
    }

    fn alias(&mut self) -> Option<String> {
        if is_kw(self.peek(), "AS") {
            self.next();
        }
        match self.peek() {
            Some(Tok::Word(w)) if !w.eq_ignore_ascii_case("FROM") => {
                let w = w.clone();
                self.next();
                Some(w)
            }
            Some(Tok::Str(s)) => {
                let s = s.clone();
                self.next();
                Some(s)
            }
            _ => None,
        }
    }

    fn select(&mut self) -> Result<Set, SqlError> {
        // SELECT list: either expressions (no FROM) or column names (FROM a known view).
        let start = self.i;
        let has_from = self.t[start..]
            .iter()
            .take_while(|t| **t != Tok::Sym(';'))
            .any(|t| is_kw(Some(t), "FROM"));
        if has_from {
            return self.select_from();
        }
        let mut set = Set {
            cols: Vec::new(),
            rows: vec![Vec::new()],
        };
        loop {
            let (v, _) = self.expr()?;
            set.cols.push(self.alias().unwrap_or_default());
            set.rows[0].push(v);
            if self.peek() == Some(&Tok::Sym(',')) {
                self.next();
            } else {
                break;
            }
        }
        Ok(set)
    }

    /// One column of a SELECT ... FROM list: `*`, `col`, `CAST(col AS type)` or
    /// `CONVERT(type, col[, style])`, with an optional alias.
    fn column(&mut self) -> Result<Column, SqlError> {
        let (name, cast) = match self.next() {
            Some(Tok::Sym('*')) => return Ok(Column::all()),
            Some(Tok::Word(f)) if f.eq_ignore_ascii_case("CAST") => {
                self.expect('(')?;
                let col = self.word()?;
                if !is_kw(self.next().as_ref(), "AS") {
                    return Err(syntax("CAST"));
                }
                let ty = self.sql_type()?;
                self.expect(')')?;
                (col, Some(ty))
            }
            Some(Tok::Word(f)) if f.eq_ignore_ascii_case("CONVERT") => {
                self.expect('(')?;
                let ty = self.sql_type()?;
                self.expect(',')?;
                let col = self.word()?;
                if self.peek() == Some(&Tok::Sym(',')) {
                    self.next();
                    self.next();
                }
                self.expect(')')?;
                (col, Some(ty))
            }
            Some(Tok::Word(w)) => (w.to_lowercase(), None),
            other => return Err(syntax(&format!("{other:?}"))),
        };
        let alias = if is_kw(self.peek(), "AS") {
            self.next();
            Some(self.word()?)
        } else {
            None
        };
        Ok(Column { name, cast, alias })
    }

    fn word(&mut self) -> Result<String, SqlError> {
        match self.next() {
            Some(Tok::Word(w)) => Ok(w.to_lowercase()),
            other => Err(syntax(&format!("{other:?}"))),
        }
    }

    /// A type name, its length dropped: `int`, `nvarchar(30)`.
    fn sql_type(&mut self) -> Result<String, SqlError> {
        let ty = self.word()?;
        if self.peek() == Some(&Tok::Sym('(')) {
            self.next();
            self.next();
            self.expect(')')?;
        }
        Ok(ty)
    }

    fn select_from(&mut self) -> Result<Set, SqlError> {
        let mut cols = Vec::new();
        loop {
            cols.push(self.column()?);
            if self.peek() == Some(&Tok::Sym(',')) {
                self.next();
            } else {
                break;
            }
        }
        if !is_kw(self.next().as_ref(), "FROM") {
            return Err(syntax("FROM"));
        }
        let table = match self.next() {
            Some(Tok::Word(w)) => w.to_lowercase(),
            other => return Err(syntax(&format!("{other:?}"))),
        };
        let table = table.trim_start_matches("master.");
        let (all_cols, rows) = self.facts.table(table)?;
        let mut filter: Option<(usize, bool, Val)> = None;
        if is_kw(self.peek(), "WHERE") {
            self.next();
            let col = match self.next() {
                Some(Tok::Word(w)) => w.to_lowercase(),
                other => return Err(syntax(&format!("{other:?}"))),
            };
            let idx = all_cols
                .iter()
                .position(|c| *c == col)
                .ok_or_else(|| SqlError(207, 16, format!("Invalid column name '{col}'.")))?;
            let like = match self.next() {
                Some(Tok::Sym('=')) => false,
                Some(Tok::Word(w)) if w.eq_ignore_ascii_case("LIKE") => true,
                other => return Err(syntax(&format!("{other:?}"))),
            };
            filter = Some((idx, like, self.expr()?.0));
        }
        let ci = self.facts.case_insensitive();
        let norm = |s: &str| if ci { s.to_lowercase() } else { s.to_string() };
        let keep = |row: &Vec<Val>| match &filter {
            None => true,
            Some((i, like, Val::Str(Some(want)))) => match &row[*i] {
                Val::Str(Some(have)) => {
                    let (h, w) = (norm(have), norm(want));
                    if *like {
                        let w = w.trim_end_matches('%');
                        h.starts_with(w)
                    } else {
                        h == w
                    }
                }
                _ => false,
            },
            Some((i, _, want)) => &row[*i] == want,
        };
        let picked: Vec<(usize, &Column)> = if cols.len() == 1 && cols[0].name == "*" {
            (0..all_cols.len()).map(|i| (i, &cols[0])).collect()
        } else {
            cols.iter()
                .map(|c| {
                    all_cols
                        .iter()
                        .position(|a| *a == c.name)
                        .map(|i| (i, c))
                        .ok_or_else(|| {
                            SqlError(207, 16, format!("Invalid column name '{}'.", c.name))
                        })
                })
                .collect::<Result<_, _>>()?
        };
        Ok(Set {
            cols: picked
                .iter()
                .map(|(i, c)| c.alias.clone().unwrap_or_else(|| all_cols[*i].to_string()))
                .collect(),
            rows: rows
                .iter()
                .filter(|r| keep(r))
                .map(|r| {
                    picked
                        .iter()
                        .map(|(i, c)| c.convert(r[*i].clone()))
                        .collect()
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A column of a SELECT ... FROM list.
struct Column {
    name: String,
    /// CAST or CONVERT to this type.
    cast: Option<String>,
    alias: Option<String>,
}

impl Column {
    fn all() -> Column {
        Column {
            name: "*".into(),
            cast: None,
            alias: None,
        }
    }

    /// The value as the cast makes it (`int` from text, text from `int`).
    fn convert(&self, v: Val) -> Result<Val, SqlError> {
        Ok(match (self.cast.as_deref(), v) {
            (Some("int" | "bigint" | "bit"), Val::Str(Some(s))) => {
                Val::Int(Some(s.trim().parse().map_err(|_| {
                    SqlError(
                        245,
                        16,
                        format!("Conversion failed when converting the nvarchar value '{s}' to data type int."),
                    )
                })?))
            }
            (Some("int" | "bigint" | "bit"), Val::Str(None)) => Val::Int(None),
            (Some("nvarchar" | "varchar" | "sysname"), Val::Int(n)) => {
                Val::Str(n.map(|n| n.to_string()))
            }
            (_, v) => v,
        })
    }
}

/// Runs a batch; result sets until the first error.
pub fn run(sql: &str, facts: &Facts, params: &[(String, Val)]) -> (Vec<Set>, Option<SqlError>) {
    let toks = match lex(sql) {
        Ok(t) => t,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut p = P {
        t: &toks,
        i: 0,
        facts,
        params,
    };
    let mut sets = Vec::new();
    while p.i < toks.len() {
        if p.peek() == Some(&Tok::Sym(';')) {
            p.next();
            continue;
        }
        if !is_kw(p.peek(), "SELECT") {
            let near = match p.peek() {
                Some(Tok::Word(w)) => w.clone(),
                other => format!("{other:?}"),
            };
            return (sets, Some(syntax(&near)));
        }
        p.next();
        match p.select() {
            Ok(s) => sets.push(s),
            Err(e) => return (sets, Some(e)),
        }
        match p.peek() {
            None | Some(Tok::Sym(';')) => {}
            Some(t) => return (sets, Some(syntax(&format!("{t:?}")))),
        }
    }
    (sets, None)
}
