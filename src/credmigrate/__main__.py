from credmigrate.cli import entry

entry()
