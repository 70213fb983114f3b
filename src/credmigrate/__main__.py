from credmigrate.cli.main import entry

entry()
