import MedCommands

MedSearchCommand.main()
