"""The one check every uploaded file passes (meeting files, development documents, task
evidence, decision minutes): a whitelisted type and a size limit."""

from pathlib import Path

from django.conf import settings

ALLOWED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt",
    ".jpg", ".jpeg", ".png",
}  # fmt: skip
DEFAULT_MAX_UPLOAD_MB = 20


def max_upload_bytes() -> int:
    return int(getattr(settings, "DANGJIAN_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024


def upload_problem(upload) -> str:
    """The Chinese reason `upload` is refused, or "" when it may be stored."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        allowed = "、".join(sorted(e.lstrip(".") for e in ALLOWED_EXTENSIONS))
        return f"不支持的文件类型“{suffix or '无扩展名'}”，仅限：{allowed}"
    if upload.size > max_upload_bytes():
        return f"文件“{upload.name}”超过 {max_upload_bytes() // (1024 * 1024)} MB 的大小限制"
    return ""
