package emulator

import (
	"encoding/json"
	"strconv"
)

// foreignJSON is the documentation's GET /integrations example: a Snowflake
// and a Databricks integration that a Redshift client must skip over.
const foreignJSON = `[
  {
    "id": "1",
    "status": "enabled",
    "validationResults": {
      "status": "passed",
      "validationTests": [
        {
          "name": "Initial Validation: Basic Connection Test",
          "status": "passed"
        },
        {
          "name": "Initial Validation: Default Warehouse Access Test",
          "status": "passed",
          "result": []
        },
        {
          "name": "Initial Validation: Validate access to Privileged Role",
          "status": "passed",
          "result": []
        },
        {
          "name": "Validate Automatic: Database Does Not Exist",
          "status": "passed"
        },
        {
          "name": "Validate Automatic: Impersonation Role Does Not Exist",
          "status": "skipped"
        },
        {
          "name": "Validate Automatic: User Grants",
          "status": "passed"
        }
      ]
    },
    "type": "Snowflake",
    "autoBootstrap": true,
    "config": {
      "host": "organization.us-east-1.snowflakecomputing.com",
      "warehouse": "SAMPLE_WAREHOUSE",
      "database": "SNOWFLAKE_SAMPLE_DATA",
      "port": 443,
      "audit": {
        "enabled": false
      },
      "workspaces": {
        "enabled": false
      },
      "impersonation": {
        "enabled": false
      },
      "lineage": {
        "enabled": false
      },
      "authenticationType": "userPassword",
      "username": "<REDACTED>",
      "password": "<REDACTED>",
      "role": "ACCOUNTADMIN"
    }
  },
  {
    "id": "2",
    "status": "enabled",
    "type": "Databricks",
    "validationResults": {
      "status": "passed",
      "validationTests": [
        {
          "name": "Metastore validation",
          "status": "passed"
        },
        {
          "name": "Basic Connection Test",
          "result": [
            {
              "1": 1
            }
          ],
          "status": "passed"
        }
      ]
    },
    "autoBootstrap": true,
    "config": {
      "workspaceUrl": "www.example-workspace.cloud.databricks.com",
      "httpPath": "sql/protocolv1/o/0/0000-00000-abc123",
      "token": "REDACTED",
      "audit": {
        "enabled": false
      },
      "catalog": "immuta"
    }
  }
]`

func foreignIntegrations() []Integration {
	var out []Integration
	if err := json.Unmarshal([]byte(foreignJSON), &out); err != nil {
		panic("emulator: bad foreign integrations: " + err.Error())
	}
	return out
}

// foreignTypes are the types WithForeignCount cycles through.
var foreignTypes = []string{"Snowflake", "Databricks"}

// seedForeignCount adds n integrations of other types, with distinct ids and
// hosts, as in a large tenant whose Redshift integrations are a few among many.
// They are built directly (not through seed) so that 100 000 cost a fraction of
// a second; each carries its own small config and a passed validation.
func (s *Server) seedForeignCount(n int) {
	for i := 0; i < n; i++ {
		typ := foreignTypes[i%len(foreignTypes)]
		id := strconv.Itoa(s.store.nextID)
		var cfg map[string]any
		if typ == "Snowflake" {
			cfg = map[string]any{
				"host": "org" + id + ".us-east-1.snowflakecomputing.com", "warehouse": "WH", "database": "DB" + id,
				"port": json.Number("443"), "authenticationType": "userPassword", "username": "svc", "password": "secret-" + id,
				"audit": map[string]any{"enabled": false}, "impersonation": map[string]any{"enabled": false},
			}
		} else {
			cfg = map[string]any{
				"workspaceUrl": "ws" + id + ".cloud.databricks.com", "httpPath": "sql/protocolv1/o/0/" + id,
				"token": "REDACTED", "audit": map[string]any{"enabled": false}, "catalog": "immuta",
			}
		}
		s.store.records[id] = &record{
			id: id, typ: typ, autoBootstrap: true, config: cfg, status: StatusEnabled,
			validation: ValidationResults{Status: "passed", ValidationTests: []ValidationTest{{Name: "Basic Connection Test", Status: "passed"}}},
		}
		s.store.nextID++
	}
}
