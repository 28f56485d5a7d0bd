// consul-template's configuration files. See ConfigFile.swift.
