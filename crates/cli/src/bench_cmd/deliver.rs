//! `oxmapi bench deliver`: submitted messages delivered per second. A sender submits messages
//! (RopSaveChangesMessage + RopSubmitMessage from the Outbox) to 1 and to 50 recipients; each
//! recipient's session counts its NewMail notifications, and the run ends when every copy
//! arrived. Throughput is copies (and messages) per second from the first submit to the last
//! NewMail.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxmapi_client::notify::{AdviseTarget, Notification};
use oxmapi_client::store::{Recipient, RecipientType};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_BODY, PR_MESSAGE_CLASS, PR_SUBJECT};
use oxmapi_core::consts::fnev;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::{NewUser, Site};
use oxmapi_wire::describe::Node;

use super::{BenchSession, ChildServer, PASSWORD, cores, fail, ms, new_data_dir, rate, rss_kib};

/// `oxmapi bench deliver` options.
#[derive(clap::Args, Debug)]
pub struct BenchDeliverArgs {
    /// Recipients per message (repeatable: one run per count).
    #[arg(long, default_values_t = [1usize, 50])]
    pub recipients: Vec<usize>,
    /// Messages submitted per run.
    #[arg(long, default_value_t = 200)]
    pub messages: usize,
}

/// How long the last copy may take to arrive.
const PATIENCE: Duration = Duration::from_secs(120);

fn recipient_name(i: usize) -> String {
    format!("rcpt{i:03}")
}

/// Runs `oxmapi bench deliver`.
pub fn run(args: &BenchDeliverArgs) -> Result<Node, MapiError> {
    let most = args.recipients.iter().copied().max().unwrap_or(1);
    if most == 0 || args.messages == 0 {
        return Err(fail("--recipients and --messages must be positive"));
    }
    let (dir, _) = new_data_dir(8)?;
    let data = Site::open(dir.path())?;
    for i in 0..most {
        data.add_user(&NewUser { name: recipient_name(i), password: PASSWORD.into(), ..Default::default() })?;
    }
    let domain = data.directory()?.effective_setting("domain")?;
    drop(data);
    let server = ChildServer::start(dir.path())?;
    let sender = BenchSession::logon(&server.url)?;
    let out = sender.default_store()?;
    let outbox = out.open_folder(out.transport_folder()?)?;
    let mut runs = Vec::new();
    for &n in &args.recipients {
        progress!("bench: {} messages to {n} recipient(s)", args.messages);
        let (tx, rx) = mpsc::channel::<()>();
        let mut watchers = Vec::new();
        for i in 0..n {
            let s = BenchSession::logon_as(&server.url, &recipient_name(i))?;
            let store = s.default_store()?;
            let tx = tx.clone();
            store.advise(AdviseTarget::Store, fnev::NEW_MAIL, move |note| {
                if matches!(note, Notification::NewMail { .. }) {
                    let _ = tx.send(());
                }
            })?;
            watchers.push((s, store));
        }
        let to: Vec<Recipient> = (0..n)
            .map(|i| Recipient::smtp(RecipientType::To, &format!("{}@{domain}", recipient_name(i))))
            .collect();
        let started = Instant::now();
        for k in 0..args.messages {
            let mut m = outbox.create_message(false)?;
            m.set_props(&[
                TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
                TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(format!("bench message {k}")) },
                TaggedValue { tag: PR_BODY, value: PropValue::Unicode("x".repeat(2000)) },
            ])?;
            m.add_recipients(&to)?;
            m.submit()?;
        }
        let submitted = started.elapsed();
        let copies = args.messages * n;
        for got in 0..copies {
            let left = PATIENCE.saturating_sub(started.elapsed());
            rx.recv_timeout(left)
                .map_err(|_| fail(format!("{got} of {copies} copies arrived within {PATIENCE:?}")))?;
        }
        let elapsed = started.elapsed();
        runs.push(Node::map([
            ("recipients", Node::Int(n as i128)),
            ("messages", Node::Int(args.messages as i128)),
            ("copies_delivered", Node::Int(copies as i128)),
            ("submit_ms", ms(submitted)),
            ("all_delivered_ms", ms(elapsed)),
            ("messages_per_s", rate(args.messages, elapsed)),
            ("copies_per_s", rate(copies, elapsed)),
            ("rss_kib", Node::Int(rss_kib(server.pid()).unwrap_or(0) as i128)),
        ]));
    }
    Ok(Node::map([
        ("server", Node::str(server.url.clone())),
        ("machine_cores", cores()),
        ("runs", Node::List(runs)),
    ]))
}
