from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "ascn_portal.spreadsheets"
    label = "spreadsheets"
    verbose_name = "Spreadsheets"
