from credmigrate.cli.fast import entry

entry()
