"""The UI kit every feature's pages share: typed URL parameters and converters, paging and
sorting, the inspection filters, template tags, the time-zone middleware and the
sync-freshness context processor. It holds no pages of its own."""
