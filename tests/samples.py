"""Sample inputs shared by tests: one well-formed enterprise a 园岭 inspector would register."""

from __future__ import annotations

from fuanjian_desktop.domain.registry_rules import EnterpriseDraft

HARDWARE_SHOP = EnterpriseDraft(
    name="深圳市福田区园岭晨光五金店",
    uscc="91350200776049653A",
    address="深圳市福田区园岭街道红荔路12号",
    street="园岭街道",
    community="百花社区",
    grid="园岭05网格",
    contact_name="李四",
    contact_phone="13800138000",
    floor_area="85.5",
    categories=("three_small.shop",),
)
