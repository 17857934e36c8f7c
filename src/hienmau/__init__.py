"""HienMau: the information system of Vietnam's voluntary blood donation movement."""
