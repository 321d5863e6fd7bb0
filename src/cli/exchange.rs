//! Files reviewers exchange: `accredit import DIR` (a submission package, or a framework
//! file), `accredit export --form SUBMISSION` and `accredit import --form FILE` (the
//! plain-text judgement form, docs/formats.md).

use std::io::{Read, Write};
use std::path::Path;

use color_eyre::eyre::{Result, WrapErr, bail};

use accredit::format::form::{self, FormStandard, Step};
use accredit::format::{self, FRAMEWORK_FORMAT};
use accredit::store::Store;

/// Imports a submission package folder, or a framework file.
pub fn import_package(store: &mut Store, path: &Path) -> Result<()> {
    if path.is_file() {
        return import_framework(store, path);
    }
    let frameworks = store.frameworks()?;
    let find = |id: &str, version: &str| frameworks.iter().find(|f| f.id == id && f.version == version);
    // A folder without submission.json is a provider's pack: intake makes the draft first.
    let draft_dir = path.join("accredit-draft");
    let dir = if path.join("submission.json").exists() {
        path.to_path_buf()
    } else {
        let report = accredit::intake::pack::read_pack(path, &frameworks, jiff::Zoned::now().date());
        for (label, list) in [("note", &report.notes), ("warning", &report.warnings), ("error", &report.errors)] {
            for finding in list {
                println!("{label}: {finding}");
            }
        }
        if !report.errors.is_empty() {
            bail!("{} error(s) in the pack {}; nothing was imported", report.errors.len(), path.display());
        }
        let Some(draft) = report.draft else { bail!("the pack {} gave no draft", path.display()) };
        accredit::intake::pack::write_draft(&draft, &draft_dir)
            .wrap_err_with(|| format!("cannot write the draft to {}", draft_dir.display()))?;
        println!("wrote the draft package {}", draft_dir.display());
        draft_dir
    };
    let package = format::load_submission_dir(&dir, find)?;
    store.import_submission(&package)?;
    let s = &package.submission;
    println!(
        "Imported {} (version {}): {}, {} documents, {} mapped standards.",
        s.id,
        s.header.version,
        accredit::text::sanitize(&s.header.programme),
        s.documents.len(),
        s.mappings.len()
    );
    let me = store.me()?.unwrap_or_default();
    if !store.assignments(&me)?.iter().any(|a| a.submission == s.id) {
        println!(
            "You are not on its panel in this cache, so it is not in your queue; panels are assigned by the accreditation office."
        );
    }
    Ok(())
}

fn import_framework(store: &mut Store, file: &Path) -> Result<()> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).wrap_err_with(|| format!("cannot read {name}"))?;
    if !text.contains(FRAMEWORK_FORMAT) {
        bail!(
            "{name} is not a framework file ({FRAMEWORK_FORMAT}); to import a submission, name the folder holding its submission.json"
        );
    }
    let framework = format::parse_framework(&name, &text)?;
    store.import_framework(&framework)?;
    println!(
        "Imported framework {} version {}: {} standards.",
        framework.id,
        framework.version,
        framework.standards().count()
    );
    Ok(())
}

/// Writes my judgements of `submission` as a form, to `output` or standard output.
pub fn export_form(store: &Store, submission: &str, output: Option<&Path>) -> Result<()> {
    let me = store.me()?.unwrap_or_default();
    let review = store.load_review(submission, &me)?;
    if !review.role.votes() {
        bail!("as {} you judge no standards in {submission}: there is nothing to put in a form", review.role.label());
    }
    let standards: Vec<FormStandard> = review
        .standards()
        .filter(|s| s.judged_by_me)
        .map(|s| FormStandard {
            code: s.code.clone(),
            title: s.title.clone(),
            rationale_required: s.rationale_required.clone(),
            mine: s.mine.clone(),
        })
        .collect();
    let text = form::render_form(&review.submission.id, &review.submission.header.programme, &me, &standards);
    let Some(path) = output else {
        std::io::stdout().write_all(text.as_bytes()).wrap_err("cannot write the form")?;
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).wrap_err_with(|| {
        format!("cannot create {} (an existing file is never overwritten; pick a new name)", path.display())
    })?;
    file.write_all(text.as_bytes()).wrap_err_with(|| format!("cannot write {}", path.display()))?;
    if review.submitted {
        println!(
            "Wrote the form for {submission} ({} standards) to {}, for reference: your judgements are submitted, \
             and the form cannot change them.",
            standards.len(),
            path.display()
        );
    } else {
        println!(
            "Wrote the form for {submission} ({} standards) to {}. Fill it in, then run: accredit import --form {}",
            standards.len(),
            path.display(),
            path.display()
        );
    }
    Ok(())
}

/// Reads a filled-in form and saves every changed judgement, as the TUI would. Entries that
/// changed in accredit after the export are refused, never overwritten.
pub fn import_form(store: &mut Store, file: &Path) -> Result<()> {
    let (name, text) = if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).wrap_err("cannot read the form from standard input")?;
        ("standard input".to_string(), text)
    } else {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file).wrap_err_with(|| format!("cannot read the form {name}"))?;
        (name, text)
    };
    let parsed = form::parse_form(&name, &text)?;
    let me = store.me()?.unwrap_or_default();
    if parsed.reviewer != me {
        bail!(
            "{name} holds the judgements of {}, and this cache belongs to {me}: import it in that reviewer's profile",
            parsed.reviewer
        );
    }
    let review = store.load_review(&parsed.submission, &me)?;
    let mut problems = Vec::new();
    for entry in &parsed.entries {
        match review.standards().find(|s| s.code == entry.standard) {
            None => problems.push(format!(
                "  line {}: {} is not under review in {}",
                entry.line, entry.standard, parsed.submission
            )),
            Some(s) if !s.judged_by_me => problems.push(format!(
                "  line {}: {} is not one of your standards in {}",
                entry.line, entry.standard, parsed.submission
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        bail!(
            "{name}: {} problem{}, nothing imported:\n{}",
            problems.len(),
            plural(problems.len()),
            problems.join("\n")
        );
    }
    let steps = form::plan(&parsed, |code| review.standards().find(|s| s.code == code).and_then(|s| s.mine.as_ref()));
    let (mut saved, mut unchanged, mut submitted) = (0, 0, 0);
    let mut refused = Vec::new();
    for (step, entry) in steps.into_iter().zip(&parsed.entries) {
        match step {
            Step::Unchanged { .. } => unchanged += 1,
            Step::Save { standard, outcome, rationale } => {
                match store.save_judgement(&parsed.submission, &standard, &me, outcome, &rationale) {
                    Ok(_) => saved += 1,
                    Err(e) => refused.push(format!("  line {}: {standard}: {e}", entry.line)),
                }
            }
            Step::Stale { standard, base, current_version, current_updated_at } => refused.push(format!(
                "  line {}: {standard} changed in accredit after this form was exported (the form has version {}{}, accredit has version {current_version}{}): your text for it was not imported",
                entry.line,
                base.version,
                base.updated_at.map(|t| format!(" of {t}")).unwrap_or_default(),
                current_updated_at.map(|t| format!(" of {t}")).unwrap_or_default(),
            )),
            Step::Submitted { standard } => {
                submitted += 1;
                refused.push(format!(
                    "  line {}: {standard}: your judgements for {} are submitted and read-only",
                    entry.line, parsed.submission
                ));
            }
        }
    }
    let submitted_here = refused.len() == submitted && submitted > 0;
    if submitted_here {
        // Nothing in the form can change a submitted review: no advice to submit or to copy text.
        bail!(
            "{name}: nothing imported: your judgements for {} are submitted, and a submitted judgement \
             cannot change ({submitted} entr{} of the form differ from them; {unchanged} unchanged). The form \
             is for reference now.",
            parsed.submission,
            if submitted == 1 { "y" } else { "ies" },
        );
    }
    let drafts = if saved > 0 {
        format!(" (drafts; submit with `accredit submit {}`)", parsed.submission)
    } else {
        String::new()
    };
    println!(
        "{name}: {saved} judgement{} saved, {unchanged} unchanged, in {}{drafts}.",
        plural(saved),
        parsed.submission
    );
    if !refused.is_empty() {
        bail!(
            "{} entr{} of {name} {} not imported:\n{}\nCopy that text into accredit, or export a fresh form \
             (`accredit export --form {}`) and fill in only those.",
            refused.len(),
            if refused.len() == 1 { "y" } else { "ies" },
            if refused.len() == 1 { "was" } else { "were" },
            refused.join("\n"),
            parsed.submission
        );
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
