from retarus_connector.cli import main

main()
