"""Phare's date and number formats per language (``FORMAT_MODULE_PATH``): days before months in
both languages — never the United States' month first, which reads as another day in Europe."""
