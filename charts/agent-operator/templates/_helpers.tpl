{{/* The release's full name, at most 63 characters. */}}
{{- define "agent-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "agent-operator.labels" -}}
app.kubernetes.io/name: agent-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: agent-operator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels that select the operator's pods (also what sandbox NetworkPolicies admit). */}}
{{- define "agent-operator.selectorLabels" -}}
app.kubernetes.io/name: agent-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "agent-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "agent-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The RBAC rules: exactly what the operator uses (checked by a test against its requests). */}}
{{- define "agent-operator.rules" -}}
{{ .Files.Get "rbac-rules.yaml" }}
{{- end -}}

{{/* Labels of the gateway's objects. */}}
{{- define "agent-operator.gatewayLabels" -}}
app.kubernetes.io/name: agent-gateway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: agent-operator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels that select the gateway's pods (also what sandbox NetworkPolicies let pods reach). */}}
{{- define "agent-operator.gatewaySelectorLabels" -}}
app.kubernetes.io/name: agent-gateway
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The gateway's rules: get only, on what a token's session names. */}}
{{- define "agent-operator.gatewayRules" -}}
- apiGroups: [agentoperator.dev]
  resources: [agentsessions]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end -}}
