"""The case dossier (案卷) as pure rules: binding order, page plan and the pre-archive check
(``binding``, ``pagination``, ``self_check``); ``render`` draws its pages. No database here."""
