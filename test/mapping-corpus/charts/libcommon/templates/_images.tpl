{{/* registry/repository:tag, the registry from global.imageRegistry when set. */}}
{{- define "libcommon.images.image" -}}
{{- $registry := .imageRoot.registry -}}
{{- if and .global .global.imageRegistry -}}
{{- $registry = .global.imageRegistry -}}
{{- end -}}
{{- printf "%s/%s:%s" $registry .imageRoot.repository .imageRoot.tag -}}
{{- end -}}
