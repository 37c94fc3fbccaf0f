"""The dossier's own pages (cover, 卷内目录, 备考表, 照片证据, 音像资料目录, 案卷自查表, page-number
labels) drawn with reportlab, and the volume assembled from its parts with pypdf. No database:
the services pass plain values (``model``)."""
