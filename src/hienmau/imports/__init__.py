"""Spreadsheet imports above the registry: read → map columns → validate → write.

Registration lists (danh sách đăng ký hiến máu) come as Excel files in every shape;
`columns` recognizes their headers, `rows` reads each row into typed values with
Vietnamese messages, `registration_import` checks them against the registry and the
drive and writes them all or nothing.
"""
