//! The media types of evidence documents.

pub const TEXT: &str = "text/plain";
pub const MARKDOWN: &str = "text/markdown";
pub const PDF: &str = "application/pdf";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Every media type an evidence document may have.
pub const ALL: [&str; 5] = [TEXT, MARKDOWN, PDF, DOCX, XLSX];

/// Whether the document is stored as extracted pages of a binary original.
pub fn is_binary(media_type: &str) -> bool {
    matches!(media_type, PDF | DOCX | XLSX)
}

/// The media type a file name implies, or why it is refused.
pub fn from_file_name(name: &str) -> Result<&'static str, &'static str> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "txt" => Ok(TEXT),
        "md" | "markdown" => Ok(MARKDOWN),
        "pdf" => Ok(PDF),
        "docx" => Ok(DOCX),
        "xlsx" => Ok(XLSX),
        "doc" => Err("a legacy Word .doc file: save it as .docx"),
        "xls" => Err("a legacy Excel .xls file: save it as .xlsx"),
        _ => Err("not an evidence format (PDF, DOCX, XLSX, text or Markdown)"),
    }
}
