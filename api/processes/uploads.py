"""Uploaded bundle files: the multipart upload turned into {file name: content}."""

from engine.core.errors import DefinitionRejected, Problem


def uploaded_files(uploads) -> dict[str, bytes]:
    """{bare file name: content} of the uploaded files; duplicate or missing names are refused."""
    files, problems = {}, []
    for upload in uploads or []:
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
        if not name:
            problems.append(Problem("uploaded file has no name", element="file"))
        elif name in files:
            problems.append(Problem(f"two files named {name}", file=name, element="file"))
        else:
            files[name] = upload.file.read()
    if problems:
        raise DefinitionRejected(problems)
    if not files:
        raise DefinitionRejected([Problem("no files uploaded (multipart field 'files')")])
    return files
