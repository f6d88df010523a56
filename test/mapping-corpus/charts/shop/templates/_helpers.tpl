{{/*
An image reference from a values map: registry (the global one first), repository, then the
digest when set, else the tag, else the chart's appVersion.
  {{ include "shop.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) }}
*/}}
{{- define "shop.images.image" -}}
{{- $registry := default .imageRoot.registry ((.global).imageRegistry) -}}
{{- $separator := ":" -}}
{{- $termination := .imageRoot.tag | toString -}}
{{- if not .imageRoot.tag }}
  {{- if .chart }}
    {{- $termination = .chart.AppVersion | toString -}}
  {{- end -}}
{{- end -}}
{{- if .imageRoot.digest }}
  {{- $separator = "@" -}}
  {{- $termination = .imageRoot.digest | toString -}}
{{- end -}}
{{- printf "%s/%s%s%s" $registry .imageRoot.repository $separator $termination -}}
{{- end -}}

{{/* The shop's own image, through the shared helper. */}}
{{- define "shop.image" -}}
{{ include "shop.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) }}
{{- end -}}

{{/* Requests and limits from a named size, for charts whose users pick a size, not numbers. */}}
{{- define "shop.resources.preset" -}}
{{- $presets := dict "small" (dict "requests" (dict "cpu" "250m" "memory" "256Mi") "limits" (dict "memory" "384Mi")) -}}
{{- index $presets .type | toYaml -}}
{{- end -}}
