"""Sheets made by hand for engine tests (no database, no spec files)."""

from __future__ import annotations

from fuanjian_desktop.documents import sheet as model


def every_block_sheet(*, paragraphs: int = 1, continues: bool = False) -> model.Sheet:
    """A sheet holding one block of every kind (and ``paragraphs`` body paragraphs)."""
    body = tuple(
        model.Paragraph(
            (model.Run(f"第{i}段：经查，你单位存在下列问题。"), model.Run("值甲", "value"))
        )
        for i in range(paragraphs)
    )
    signatures = model.Signatures(
        (model.SignLine("执法人员（签名）", (model.Run("　证号：44030012345", "value"),)),),
        repeat=continues,
    )
    blocks: tuple[model.Block, ...] = (
        model.Lines(
            (
                (model.Entry("案由", "未按规定培训"),),
                (model.Entry("当事人", "某某五金厂", 1.2), model.Entry("电话", "0755-1234")),
            )
        ),
        *body,
        model.Numbered(("消防通道堆放杂物。",), minimum=3),
        model.Table(("序号", "证据名称"), (1, 4), (("1", "灭火器"),), minimum=3),
        model.Box(
            (
                (model.Cell("案件基本情况", (model.Run("立案情况值", "value"),), lines=2),),
                (
                    model.Cell(
                        "审核意见", signs=(model.SignLine("审核人（签名）"),), date="2026年3月5日"
                    ),
                    model.Cell("审批意见", lines=3),
                ),
            )
        ),
        signatures,
        model.Seal("深圳市福田区应急管理局（印章）", "2026年3月5日"),
    )
    return model.Sheet(
        title="测试文书",
        code="应急测",
        number="（深福）应急测〔2026〕7号",
        blocks=blocks,
        continues=continues,
        footnote="本文书一式两份。",
    )
