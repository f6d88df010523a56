{{/* Render a value that may hold a template: a string through tpl, anything else through toYaml. */}}
{{- define "libcommon.tplvalues.render" -}}
{{- if typeIs "string" .value }}
{{- tpl .value .context }}
{{- else }}
{{- tpl (.value | toYaml) .context }}
{{- end }}
{{- end -}}
