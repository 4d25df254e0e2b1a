package main

// Terraform and OpenTofu keep a provider's log lines only when TF_LOG or
// TF_LOG_PROVIDER is set: otherwise they read each line from the plugin's
// stderr and drop it. The plugin SDKs log at TRACE unless told otherwise, so
// without this every request costs the JSON of a few dozen log lines that
// nobody reads: a sixth of the provider's CPU in a plan of 20 integrations,
// and with -parallelism=10 on two cores that CPU is the CLI's wall time
// (make bench). When nobody will read them, the SDKs' and the provider's
// loggers start switched off instead. Whoever sets TF_LOG or
// TF_LOG_PROVIDER, runs the provider under -debug, or sets one of these
// variables themselves gets the logs as before.

// unreadLoggers are the level variables of the loggers a provider process
// writes to: the plugin SDK, its protocol and framework subsystems, and the
// provider's own (TF_LOG_PROVIDER_<NAME>, whose subsystems inherit it).
var unreadLoggers = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_IMMUTA"}

// quietUnreadLogs switches the loggers off when the CLI will drop their
// lines. getenv and setenv are os.Getenv and os.Setenv, but for tests.
func quietUnreadLogs(debug bool, getenv func(string) string, setenv func(string, string) error) {
	if debug || getenv("TF_LOG") != "" || getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, name := range unreadLoggers {
		if getenv(name) == "" {
			_ = setenv(name, "OFF")
		}
	}
}
