"""Document specs: what each enforcement document asks for and how its page is laid out.

A spec is data (``resources/documents/specs/<key>.json``, format in that folder's README): the
fields (label, where the value comes from, required or not) and the body, a list of blocks whose
text has ``{placeholders}``. The loader checks every spec whole and names each defect in Chinese,
so a broken file is refused before a clerk prints from it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.documents.wording import law_keys
from fuanjian_desktop.domain.documents.document_types import document_types
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource, resource_path

TYPED = "typed"
FIELD_KINDS = ("text", "list", "rows", "qa")
BLOCK_KINDS = (
    "lines",
    "addressee",
    "text",
    "list",
    "table",
    "box",
    "signatures",
    "seal",
    "heading",
    "page_break",
    "qa",
    "reply",
    "blank_lines",
    "struck_out",
)
# the kind of field a block prints whole through its ``field`` key
BLOCK_FIELD_KINDS = {"list": "list", "table": "rows", "qa": "qa", "reply": "text"}
MAX_BLANK_LINES = 20
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


@dataclass(frozen=True)
class FieldSpec:
    """One value of a document: ``source`` is a context key, or ``typed`` for the user's input.

    ``kind`` is ``text`` (one string), ``list`` (numbered items), ``rows`` (table rows, each a
    mapping of column key to text) or ``qa`` (questions and answers, each ``{id, q, a}``).
    """

    name: str
    label: str
    source: str
    kind: str = "text"
    required: bool = False
    multiline: bool = False


@dataclass(frozen=True)
class Variant:
    """A printed variant of a type (e.g. 单位 / 个人), chosen by the party's kind; its own
    ``footnote`` (交被处罚单位 / 交被处罚人) replaces the type's when given."""

    key: str
    title: str
    footnote: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    """A whole document type: its fields, body blocks (raw mappings) and page options."""

    key: str
    code: str | None
    numbered: bool
    served: bool
    variants: tuple[Variant, ...]
    fields: dict[str, FieldSpec]
    body: tuple[dict[str, Any], ...]
    continues: bool
    footnote: str
    source: str
    fit_page: bool = False

    def variant(self, key: str | None) -> Variant:
        """The variant ``key`` (the first when ``None`` or unknown to this type)."""
        return next((v for v in self.variants if v.key == key), self.variants[0])

    def title(self, variant: str | None = None) -> str:
        """The printed title of the variant."""
        return self.variant(variant).title

    def printed_fields(self, variant: str | None = None) -> set[str]:
        """The fields the variant's blocks print (a 个人 form has no 法定代表人)."""
        chosen = self.variant(variant).key
        blocks = [block for block in self.body if block.get("variant", chosen) == chosen]
        return {name for name in _names_used(blocks) if name in self.fields}


@functools.cache
def document_specs() -> dict[str, DocumentSpec]:
    """Every spec by type key, in the order of ``types.json``; all checked, or none."""
    problems: list[str] = []
    specs: dict[str, DocumentSpec] = {}
    for key, kind in document_types().items():
        path = resource_path("documents", "specs", f"{key}.json")
        if not path.exists():
            continue
        data = load_json_resource("documents", "specs", f"{key}.json")
        spec = _parse(key, kind.title, kind.code, kind.numbered, kind.served, data)
        problems += [f"{key}.json：{problem}" for problem in spec_problems(spec)]
        specs[key] = spec
    if problems:
        raise UserError("文书式样有误，请改正后再用：\n" + "\n".join(problems))
    return specs


def document_spec(key: str) -> DocumentSpec:
    """The spec of one type; a Chinese error names a type without a spec."""
    try:
        return document_specs()[key]
    except KeyError:
        raise UserError(
            f"文书种类“{key}”没有式样，请在 resources/documents/specs/ 中补充。"
        ) from None


def _parse(
    key: str, title: str, code: str | None, numbered: bool, served: bool, data: dict[str, Any]
) -> DocumentSpec:
    variants = tuple(
        Variant(v["key"], v["title"], v.get("footnote", "")) for v in data.get("variants", ())
    )
    fields = {
        name: FieldSpec(
            name=name,
            label=row["label"],
            source=row.get("source", TYPED),
            kind=row.get("kind", "text"),
            required=bool(row.get("required", False)),
            multiline=bool(row.get("multiline", False)),
        )
        for name, row in data.get("fields", {}).items()
    }
    return DocumentSpec(
        key=key,
        code=code,
        numbered=numbered,
        served=served,
        variants=variants or (Variant("", title),),
        fields=fields,
        body=tuple(data.get("body", ())),
        continues=bool(data.get("continues", False)),
        footnote=data.get("footnote", ""),
        source=data.get("source", ""),
        fit_page=bool(data.get("fit_page", False)),
    )


def spec_problems(spec: DocumentSpec) -> list[str]:
    """Every defect of one spec, in Chinese (empty when the spec is sound)."""
    problems = [
        f"字段 {field.name} 的类型“{field.kind}”不存在（可用：{'、'.join(FIELD_KINDS)}）"
        for field in spec.fields.values()
        if field.kind not in FIELD_KINDS
    ]
    variant_keys = {variant.key for variant in spec.variants}
    for index, block in enumerate(spec.body, start=1):
        problems += [f"第{index}块：{p}" for p in _block_problems(spec, block, variant_keys)]
    return problems


def _block_problems(spec: DocumentSpec, block: dict[str, Any], variant_keys: set[str]) -> list[str]:
    kind = block.get("block")
    if kind not in BLOCK_KINDS:
        return [f"块类型“{kind}”不存在（可用：{'、'.join(BLOCK_KINDS)}）"]
    problems = []
    if "variant" in block and block["variant"] not in variant_keys:
        problems.append(f"变体“{block['variant']}”未在 variants 中声明")
    when = block.get("when")
    if "when" in block and (not isinstance(when, str) or when not in spec.fields):
        problems.append(f"when 所指的字段“{when}”未声明")
    problems += _field_kind_problems(spec, kind, block)
    for name in sorted(_names_used(block)):
        namespace, _, key = name.partition(".")
        if not key and name not in spec.fields:
            problems.append(f"引用了未声明的字段“{name}”")
        elif not key and kind != "qa" and spec.fields[name].kind == "qa":
            problems.append(f"问答字段“{name}”只能由 qa 块打印")
        elif namespace == "law" and key not in law_keys():
            problems.append(f"引用了 wording.json 中没有的用语“{name}”")
        elif key and namespace not in ("law", "org"):
            problems.append(f"占位符“{name}”无效：只能是字段名、law.键 或 org.键")
    return problems


def _field_kind_problems(spec: DocumentSpec, kind: str, block: dict[str, Any]) -> list[str]:
    """A block printing a whole field needs one of its kind; blank lines need a sane count."""
    if kind == "blank_lines":
        lines = block.get("lines")
        if type(lines) is not int or not 1 <= lines <= MAX_BLANK_LINES:
            return [f"blank_lines 块的 lines 须为 1 到 {MAX_BLANK_LINES} 的整数"]
        return []
    wanted = BLOCK_FIELD_KINDS.get(kind)
    name = block.get("field")
    if wanted is None:
        return []
    if not isinstance(name, str):
        return [f"{kind} 块缺少 field"]
    field = spec.fields.get(name)
    if field is not None and field.kind != wanted:
        return [f"{kind} 块只能打印“{wanted}”类型的字段，字段 {name} 是“{field.kind}”"]
    return []


def _names_used(value: Any) -> set[str]:
    """Field names a block refers to: placeholders in its texts and its ``field`` keys."""
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, list):
        return set().union(*(_names_used(item) for item in value)) if value else set()
    if isinstance(value, dict):
        names = {value[key] for key in ("field", "date") if isinstance(value.get(key), str)}
        names.discard("")
        for key, item in value.items():
            if key not in ("field", "date", "block", "variant", "when"):
                names |= _names_used(item)
        return names
    return set()
