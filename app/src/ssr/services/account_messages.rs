//! The words of the e-mails about accounts: links to confirm, accept and reset, and
//! the news of sign-ups and decisions. Rendered by `messages::render`, as the rest.

use super::messages::{render, Email};
use super::outbox::Message;

const SIGN_OFF: &str = "If you did not expect this e-mail, you can ignore it.";

fn with_sign_off(intro: String) -> String {
    format!("{intro}\n\n{SIGN_OFF}")
}

/// No name in it: whoever signs up chooses it, and anyone can sign up with any
/// address, so it would be a stranger's words in our e-mail.
pub fn confirm_address(url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "Confirm your e-mail address".into(),
            intro: with_sign_off(
                "Hello, someone signed up for Frontdesk with this e-mail address. If it was you, confirm it with the link (it works for 48 hours) and the password you chose.".into(),
            ),
            fields: vec![],
            link: Some(("Confirm my e-mail address", url)),
        },
        recipient,
    )
}

/// No name, as in `confirm_address`: the account's owner chose it.
pub fn confirm_new_address(url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "Confirm your new e-mail address".into(),
            intro: with_sign_off(
                "Hello, someone asked to use this address for their Frontdesk account. If it was you, follow the link (within 48 hours) and confirm with your password.".into(),
            ),
            fields: vec![],
            link: Some(("Use this address", url)),
        },
        recipient,
    )
}

/// To the old address when a change is asked for, so a hijack does not go unseen.
pub fn address_change_asked(name: &str, new_email: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "Your e-mail address is about to change".into(),
            intro: format!(
                "Hello {name}, someone logged in to your Frontdesk account asked to change its e-mail address. Nothing changes unless the new address confirms it. If this was not you, change your password now."
            ),
            fields: vec![("New address", new_email.to_string())],
            link: None,
        },
        recipient,
    )
}

pub fn invitation(name: &str, location: &str, url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "You are a host on Frontdesk".into(),
            intro: format!(
                "Hello {name}, an admin added you as a host at {location}: guests can now pick you when they check in, and you hear of them by e-mail and SMS. Set a password to see your visitors. The link works for 7 days; an admin can send a new one."
            ),
            fields: vec![],
            link: Some(("Set my password", url)),
        },
        recipient,
    )
}

pub fn password_reset(name: &str, url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "Reset your Frontdesk password".into(),
            intro: with_sign_off(format!(
                "Hello {name}, someone asked to reset the password of your Frontdesk account. The link works once, for 30 minutes; your password stays as it is unless you choose a new one."
            )),
            fields: vec![],
            link: Some(("Choose a new password", url)),
        },
        recipient,
    )
}

/// Sign-up with an address that has an account: the page says "check your e-mail"
/// either way, and the owner learns of it here.
pub fn sign_up_attempted(name: &str, login_url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "Someone tried to sign up with your address".into(),
            intro: with_sign_off(format!(
                "Hello {name}, someone tried to sign up for Frontdesk with this e-mail address, which already has an account. If it was you, log in instead; if you forgot your password, use \"Forgot your password?\" on the log-in page."
            )),
            fields: vec![],
            link: Some(("Log in", login_url)),
        },
        recipient,
    )
}

pub struct Waiting<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub location: &'a str,
}

pub fn host_waiting(host: &Waiting<'_>, hosts_url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: format!("{} waits for your approval", host.name),
            intro: "A host signed up from an address outside the allowed domains. Approve or reject them on the hosts page.".into(),
            fields: vec![
                ("Name", host.name.to_string()),
                ("Email", host.email.to_string()),
                ("Location", host.location.to_string()),
            ],
            link: Some(("Open the hosts page", hosts_url)),
        },
        recipient,
    )
}

pub fn approved(name: &str, login_url: &str, recipient: &str) -> Message {
    render(
        Email {
            subject: "Your host account is approved".into(),
            intro: format!(
                "Hello {name}, an admin approved your Frontdesk host account. You can log in now."
            ),
            fields: vec![],
            link: Some(("Log in", login_url)),
        },
        recipient,
    )
}

pub fn rejected(name: &str, reason: Option<&str>, recipient: &str) -> Message {
    let fields = reason
        .map(|r| vec![("Reason", r.to_string())])
        .unwrap_or_default();
    render(
        Email {
            subject: "Your host account was not approved".into(),
            intro: format!(
                "Hello {name}, an admin did not approve your Frontdesk host account. Ask your office's admin if you think this is a mistake."
            ),
            fields,
            link: None,
        },
        recipient,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_email_carries_the_link_in_both_parts_and_names_its_lifetime() {
        let url = "https://desk.example.com/account/password?token=abc";
        let m = password_reset("Ada", url, "ada@example.com");
        assert!(
            m.body.contains(url) && m.body.contains("30 minutes"),
            "{}",
            m.body
        );
        assert!(m.html.unwrap().contains(&format!("href=\"{url}\"")));
    }

    #[test]
    fn a_rejection_gives_the_reason_only_when_there_is_one() {
        assert!(rejected("Ada", Some("Not staff"), "a@x.io")
            .body
            .contains("Reason: Not staff"));
        assert!(!rejected("Ada", None, "a@x.io").body.contains("Reason"));
    }
}
