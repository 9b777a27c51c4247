//! What the body conventions removed, counted by kind so that a post with
//! a hundred `{{ "name" | team_photo }}` gets one warning, not a hundred.

/// Constructs removed from a body, in the order first met.
#[derive(Debug, Default)]
pub(super) struct Notes {
    removed: Vec<(String, usize)>,
}

impl Notes {
    /// Records that `what` (`Liquid tag {% include %}`) was removed once.
    pub fn removed(&mut self, what: String) {
        match self.removed.iter_mut().find(|(known, _)| *known == what) {
            Some((_, count)) => *count += 1,
            None => self.removed.push((what, 1)),
        }
    }

    /// One warning per kind of removed construct.
    pub fn into_warnings(self) -> impl Iterator<Item = String> {
        self.removed.into_iter().map(|(what, count)| {
            let times = if count == 1 { String::new() } else { format!(" ({count} times)") };
            format!("removed {what}{times}: Broadsheet cannot render it")
        })
    }
}
