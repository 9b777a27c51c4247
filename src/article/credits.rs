//! The credits of Chinese newspapers, which name reporters and sources in
//! set phrases rather than in a `By` line: `本报记者陈雪频 发自上海` above
//! the text, `（记者段志敏）` inside the lead, `本报记者刘淼报道` or
//! `来源：光明日报` below it, and a dateline `新华报业网讯` that names the
//! news service.

use super::Paragraph;
use super::draft::Draft;
use super::header::{Role, classify};

/// Words around names in a Chinese credit line.
const ROLES: &[&str] = &["本报讯", "本报", "特约", "实习", "特派", "首席", "记者", "通讯员", "报道", "摄影", "摄"];

/// A Chinese credit line: the reporters it names, joined with `, `; `None`
/// when the line is not one (no reporter word, or a sentence).
pub(crate) fn chinese_byline(line: &str) -> Option<String> {
    let line = line.trim();
    let is_credit = line.chars().count() <= 50
        && (line.contains("记者") || line.contains("通讯员"))
        && !line.contains(['，', '。', '：', '；', ',']);
    if !is_credit {
        return None;
    }
    let line = line.split("发自").next().unwrap_or(line);
    let mut spaced = line.replace(['（', '）', '(', ')', '\u{3000}'], " ");
    for role in ROLES {
        spaced = spaced.replace(role, " ");
    }
    let names: Vec<&str> = spaced
        .split_whitespace()
        .filter(|name| (2..=4).contains(&name.chars().count()) && name.chars().all(is_han))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// `新华报业网讯 …` → `新华报业网`; `新华社北京11月17日电 …` → `新华社`.
/// `本报讯` (this paper) names no one.
fn dateline_service(lead: &str) -> Option<String> {
    let lead = lead.trim_start_matches(|c: char| c.is_whitespace());
    if let Some(agency) =
        ["新华社", "中新社", "中新网", "人民网", "央视网"].iter().find(|agency| lead.starts_with(*agency))
    {
        return Some((*agency).to_owned());
    }
    let head: String = lead.chars().take(12).collect();
    let (service, _) = head.split_once('讯')?;
    let plausible =
        (2..=10).contains(&service.chars().count()) && service.chars().all(is_han) && !service.starts_with("本报");
    plausible.then(|| service.to_owned())
}

/// `本报讯 （记者段志敏）中国移动…`: the reporter credited in the lead's
/// opening.
fn lead_credit(lead: &str) -> Option<String> {
    let opening_end = lead.char_indices().nth(40).map_or(lead.len(), |(at, _)| at);
    let (names, _) = lead[..opening_end].split_once("（记者")?.1.split_once('）')?;
    chinese_byline(&format!("记者{names}"))
}

impl Draft {
    /// Reads the credits of a Chinese newspaper article into author and
    /// source; credit lines of their own leave the body.
    pub(crate) fn read_chinese_credits(&mut self) {
        // Every article passes here while loading: read the lead in place.
        let lead = self.paragraphs.iter().map(Paragraph::text).find(|text| !text.trim().is_empty());
        let Some(lead) = lead else { return };
        let service = if self.source.is_none() { dateline_service(lead) } else { None };
        let reporter = if self.author.is_none() { lead_credit(lead) } else { None };
        self.source = self.source.take().or(service);
        self.author = self.author.take().or(reporter);
        self.read_trailing_credits();
    }

    /// `本报记者刘淼报道` and `来源：光明日报` as the last paragraphs.
    fn read_trailing_credits(&mut self) {
        while self.paragraphs.len() > 1 {
            let Some(Paragraph::Text { text }) = self.paragraphs.last() else { return };
            let text = text.trim().to_owned();
            if let Some(names) = chinese_byline(&text) {
                self.author.get_or_insert(names);
            } else if let Some(Role::Source(source)) = classify(&text).map(|classified| classified.role) {
                self.source.get_or_insert(source);
            } else {
                return;
            }
            self.explain(&text, "credit", "a credit line below the text");
            self.metadata.push(("credit".to_owned(), text));
            self.paragraphs.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_lines_name_the_reporters() {
        assert_eq!(chinese_byline("本报记者陈雪频实习记者唐翔发自上海").as_deref(), Some("陈雪频, 唐翔"));
        assert_eq!(chinese_byline("本报记者刘淼报道").as_deref(), Some("刘淼"));
        assert_eq!(
            chinese_byline("张连军\u{3000}熊言春\u{3000}本报特约通讯员\u{3000}韩光\u{3000}张旭航").as_deref(),
            Some("张连军, 熊言春, 韩光, 张旭航")
        );
        assert_eq!(chinese_byline("记者昨天从市政府获悉，新的政策将于下月实施。"), None);
    }

    #[test]
    fn a_dateline_names_the_news_service() {
        assert_eq!(dateline_service("新华报业网讯 “五一”黄金周昨天结束。").as_deref(), Some("新华报业网"));
        assert_eq!(dateline_service("新华社北京11月17日电 国务院").as_deref(), Some("新华社"));
        assert_eq!(dateline_service("本报讯 （记者段志敏）中国移动"), None);
    }
}
